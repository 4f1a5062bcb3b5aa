import { Mic, MicOff, PhoneOff, Maximize2 } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { useLive } from '../../lib/api';
import { IconButton } from '../../ui/IconButton';
import { toggleMute } from './call-session';
import { useCallState } from './call-store';
import { leaveWithUndo } from './CallControls';

/** While in a call, on every other screen: where the call is, and return, mute or leave in one click. */
export function CallBar() {
  const { t } = useTranslation();
  const state = useCallState();
  const rooms = useLive('rooms.list', 'rooms.changed').value ?? [];
  if (!state.call) return null;
  const room = rooms.find((r) => r.id === state.call!.roomId)?.name || t('call.direct');
  return (
    <div
      className="call-bar"
      role="region"
      aria-label={t('call.barLabel', { room })}
      data-testid="call-bar"
    >
      <span className="call-bar-dot" aria-hidden="true" />
      <span className="call-bar-room">{t('call.barLabel', { room })}</span>
      <span className="muted">
        {t('call.participantsCount', { count: state.call.participants.length })}
      </span>
      <span className="call-bar-actions">
        <IconButton
          label={state.audioOn ? t('call.mute') : t('call.unmute')}
          icon={state.audioOn ? <Mic aria-hidden="true" /> : <MicOff aria-hidden="true" />}
          aria-pressed={!state.audioOn}
          className="small"
          data-testid="call-bar-mute"
          onClick={toggleMute}
        />
        <IconButton
          label={t('call.barReturn')}
          icon={<Maximize2 aria-hidden="true" />}
          withText
          variant="secondary"
          className="small"
          data-testid="call-bar-return"
          onClick={() => {
            location.hash = '#/call';
          }}
        />
        <IconButton
          label={t('call.leave')}
          icon={<PhoneOff aria-hidden="true" />}
          variant="danger"
          className="small"
          data-testid="call-bar-leave"
          onClick={leaveWithUndo}
        />
      </span>
    </div>
  );
}
