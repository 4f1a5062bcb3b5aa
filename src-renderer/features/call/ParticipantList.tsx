import { useTranslation } from 'react-i18next';
import type { WireCall } from '../../../src-shared/protocol/calls';
import { moderate } from './call-session';
import { peerView, setCallState, setPeerView, useCallState } from './call-store';

/** Everyone in the call, with what this user may do about each of them. */
export function ParticipantList({ call, me }: { call: WireCall; me: string }) {
  const { t } = useTranslation();
  const state = useCallState();
  const owner = call.ownerId === me;
  return (
    <aside className="call-participants" aria-label={t('call.participants')}>
      <h3>
        {t('call.participants')} ({call.participants.length})
      </h3>
      <ul>
        {call.participants.map((p) => {
          const view = peerView(p.userId);
          const self = p.userId === me;
          return (
            <li key={p.userId} data-testid="call-participant-row" data-name={p.name}>
              <strong>{self ? `${p.name} (${t('call.you')})` : p.name}</strong>
              {state.speaker === p.userId ? (
                <span className="badge">{t('call.speaking')}</span>
              ) : null}
              {p.forcedMute ? <span className="badge">{t('call.mutedByOwnerShort')}</span> : null}
              {self ? null : (
                <div className="row-controls">
                  <label>
                    {t('call.volume')}{' '}
                    <input
                      type="range"
                      min={0}
                      max={1}
                      step={0.05}
                      value={view.volume}
                      aria-label={t('call.volumeFor', { name: p.name })}
                      onChange={(e) => setPeerView(p.userId, { volume: Number(e.target.value) })}
                    />
                  </label>
                  <button
                    type="button"
                    onClick={() => setPeerView(p.userId, { mutedForMe: !view.mutedForMe })}
                  >
                    {view.mutedForMe ? t('call.unmuteForMe') : t('call.muteForMe')}
                  </button>
                  <button
                    type="button"
                    onClick={() => setPeerView(p.userId, { videoHidden: !view.videoHidden })}
                  >
                    {view.videoHidden ? t('call.showVideo') : t('call.hideVideo')}
                  </button>
                  <button
                    type="button"
                    aria-pressed={state.pinned === p.userId}
                    onClick={() =>
                      setCallState({
                        pinned: state.pinned === p.userId ? null : p.userId,
                        layout: 'speaker',
                      })
                    }
                  >
                    {state.pinned === p.userId ? t('call.unpin') : t('call.pin')}
                  </button>
                  {owner ? (
                    <>
                      <button
                        type="button"
                        data-testid="call-owner-mute"
                        onClick={() => void moderate(p.userId, p.forcedMute ? 'unmute' : 'mute')}
                      >
                        {p.forcedMute ? t('call.ownerUnmute') : t('call.ownerMute')}
                      </button>
                      <button
                        type="button"
                        className="danger"
                        data-testid="call-owner-remove"
                        onClick={() => void moderate(p.userId, 'remove')}
                      >
                        {t('call.remove')}
                      </button>
                    </>
                  ) : null}
                </div>
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
                <button
                  type="button"
                  data-testid="call-owner-allow"
                  onClick={() => void moderate(r.userId, 'allow')}
                >
                  {t('call.allowBack')}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </aside>
  );
}
