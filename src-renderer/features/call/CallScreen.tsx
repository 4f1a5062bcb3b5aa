import { useTranslation } from 'react-i18next';
import { useLive } from '../../lib/api';
import { joinCall } from './call-session';
import { setCallState, useCallState } from './call-store';
import { CallControls } from './CallControls';
import { CallStage } from './CallStage';
import { DeviceCheck } from './DeviceCheck';
import { ParticipantList } from './ParticipantList';

export function CallNotice() {
  const { t } = useTranslation();
  const { notice } = useCallState();
  if (!notice) return null;
  return (
    <p
      role={notice.tone === 'error' ? 'alert' : 'status'}
      className={`notice ${notice.tone}`}
      data-testid="call-notice"
    >
      {t(notice.key, notice.values ?? {})}{' '}
      <button type="button" onClick={() => setCallState({ notice: null })}>
        {t('call.dismiss')}
      </button>
    </p>
  );
}

export default function CallScreen() {
  const { t } = useTranslation();
  const state = useCallState();
  const rooms = useLive('rooms.list', 'rooms.changed').value ?? [];
  const roomName = (roomId: string) => rooms.find((r) => r.id === roomId)?.name || t('call.direct');
  const me = state.snapshot?.me ?? null;

  if (state.call && me) {
    const recording = state.call.recording;
    const recorder = state.call.participants.find((p) => p.userId === recording?.by)?.name ?? '';
    return (
      <section data-testid="screen-call" className="call-screen">
        <header className="call-header">
          <h1>{roomName(state.call.roomId)}</h1>
          {recording ? (
            <span
              className="recording-indicator"
              role="status"
              data-testid="call-recording-indicator"
            >
              ● {t('call.recordingBy', { name: recorder })}
            </span>
          ) : null}
        </header>
        <CallNotice />
        <div className="call-body">
          <CallStage call={state.call} me={me} />
          <ParticipantList call={state.call} me={me} />
        </div>
        <CallControls />
      </section>
    );
  }

  const running = state.snapshot?.active ?? [];
  return (
    <section data-testid="screen-call">
      <h1>{t('call.title')}</h1>
      <CallNotice />
      {running.length ? (
        <ul className="running-calls">
          {running.map((c) => (
            <li key={c.callId}>
              {t('call.running', { room: roomName(c.roomId), count: c.participants.length })}{' '}
              <button
                type="button"
                data-testid="call-join"
                disabled={state.joining}
                onClick={() => void joinCall(c.roomId)}
              >
                {t('call.join')}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('call.noCall')}</p>
      )}
      <DeviceCheck />
    </section>
  );
}
