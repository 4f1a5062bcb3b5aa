import {
  Eye,
  EyeOff,
  MicOff,
  MoreVertical,
  Pin,
  PinOff,
  UserX,
  Volume2,
  VolumeX,
} from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../../ui/Avatar';
import { IconButton } from '../../ui/IconButton';
import { Menu, MenuItem, MenuSeparator } from '../../ui/Menu';
import { toast } from '../../ui/Toast';
import type { WireCall } from '../../../src-shared/protocol/calls';
import { moderate } from './call-session';
import { peerView, setCallState, setPeerView, useCallState } from './call-store';
import { Button } from '../../ui/Button';
import { Badge } from '../../ui/Badge';

/** Everyone in the call, with what this user may do about each of them. */
export function ParticipantList({ call, me }: { call: WireCall; me: string }) {
  const { t } = useTranslation();
  const state = useCallState();
  const owner = call.ownerId === me;
  return (
    <aside className="call-participants" aria-label={t('call.participants')}>
      <h3>{t('call.participantsCount', { count: call.participants.length })}</h3>
      <ul>
        {call.participants.map((p) => {
          const view = peerView(p.userId);
          const self = p.userId === me;
          return (
            <li key={p.userId} data-testid="call-participant-row" data-name={p.name}>
              <Avatar userId={p.userId} name={p.name} size={32} />
              <div className="participant-text">
                <strong>{self ? `${p.name} (${t('call.you')})` : p.name}</strong>
                <span className="participant-badges">
                  {state.speaker === p.userId ? <Badge>{t('call.speaking')}</Badge> : null}
                  {p.forcedMute ? (
                    <Badge tone="warn">{t('call.mutedByOwnerShort')}</Badge>
                  ) : !p.media.audio ? (
                    <MicOff className="muted-icon" aria-label={t('call.micOff')} />
                  ) : null}
                </span>
                {self ? null : (
                  <input
                    type="range"
                    min={0}
                    max={1}
                    step={0.05}
                    value={view.volume}
                    aria-label={t('call.volumeFor', { name: p.name })}
                    onChange={(e) => setPeerView(p.userId, { volume: Number(e.target.value) })}
                  />
                )}
              </div>
              {self ? null : (
                <Menu
                  label={t('call.personMenu', { name: p.name })}
                  trigger={
                    <IconButton
                      label={t('call.personMenu', { name: p.name })}
                      icon={<MoreVertical aria-hidden="true" />}
                      className="small"
                      data-testid="call-participant-menu"
                    />
                  }
                >
                  <MenuItem
                    icon={
                      view.mutedForMe ? (
                        <Volume2 aria-hidden="true" />
                      ) : (
                        <VolumeX aria-hidden="true" />
                      )
                    }
                    onSelect={() => setPeerView(p.userId, { mutedForMe: !view.mutedForMe })}
                  >
                    {view.mutedForMe ? t('call.unmuteForMe') : t('call.muteForMe')}
                  </MenuItem>
                  <MenuItem
                    icon={
                      view.videoHidden ? <Eye aria-hidden="true" /> : <EyeOff aria-hidden="true" />
                    }
                    onSelect={() => setPeerView(p.userId, { videoHidden: !view.videoHidden })}
                  >
                    {view.videoHidden ? t('call.showVideo') : t('call.hideVideo')}
                  </MenuItem>
                  <MenuItem
                    icon={
                      state.pinned === p.userId ? (
                        <PinOff aria-hidden="true" />
                      ) : (
                        <Pin aria-hidden="true" />
                      )
                    }
                    onSelect={() =>
                      setCallState({
                        pinned: state.pinned === p.userId ? null : p.userId,
                        layout: 'speaker',
                      })
                    }
                  >
                    {state.pinned === p.userId ? t('call.unpin') : t('call.pin')}
                  </MenuItem>
                  {owner ? (
                    <>
                      <MenuSeparator />
                      <MenuItem
                        icon={<MicOff aria-hidden="true" />}
                        testId="call-owner-mute"
                        onSelect={() => void moderate(p.userId, p.forcedMute ? 'unmute' : 'mute')}
                      >
                        {p.forcedMute ? t('call.ownerUnmute') : t('call.ownerMute')}
                      </MenuItem>
                      <MenuItem
                        icon={<UserX aria-hidden="true" />}
                        danger
                        testId="call-owner-remove"
                        onSelect={() =>
                          void moderate(p.userId, 'remove').then(() =>
                            toast({
                              text: t('call.removedSomeone', { name: p.name }),
                              action: {
                                label: t('call.allowBack'),
                                testId: 'call-remove-undo',
                                run: () => void moderate(p.userId, 'allow'),
                              },
                            }),
                          )
                        }
                      >
                        {t('call.remove')}
                      </MenuItem>
                    </>
                  ) : null}
                </Menu>
              )}
            </li>
          );
        })}
      </ul>
      {owner && call.removed.length > 0 ? (
        <>
          <h4>{t('call.removedTitle')}</h4>
          <ul>
            {call.removed.map((r) => (
              <li key={r.userId} data-testid="call-removed-row" data-name={r.name}>
                <strong>{r.name}</strong>
                <Button
                  size="small"
                  testId="call-owner-allow"
                  onClick={() => void moderate(r.userId, 'allow')}
                >
                  {t('call.allowBack')}
                </Button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </aside>
  );
}
