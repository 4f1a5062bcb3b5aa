import { PhoneCall, PhoneOff, Users } from 'lucide-react';
import { EmptyState } from '../../ui/EmptyState';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IconButton } from '../../ui/IconButton';
import { useLive } from '../../lib/api';
import { joinCall, toggleCamera, toggleMute } from './call-session';
import { setCallState, useCallState } from './call-store';
import { CallControls } from './CallControls';
import { CallStage } from './CallStage';
import { DeviceCheck } from './DeviceCheck';
import { ParticipantList } from './ParticipantList';
import { Button } from '../../ui/Button';

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
      <Button variant="ghost" size="small" onClick={() => setCallState({ notice: null })}>
        {t('call.dismiss')}
      </Button>
    </p>
  );
}

/** Ctrl/Cmd+D toggles the microphone and Ctrl/Cmd+E the camera while a call is on screen. */
function useCallShortcuts(active: boolean) {
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const key = e.key.toLowerCase();
      if (key === 'd') toggleMute();
      else if (key === 'e') toggleCamera();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);
}

export default function CallScreen() {
  const { t } = useTranslation();
  const state = useCallState();
  useCallShortcuts(!!state.call);
  const [panel, setPanel] = useState(
    () => typeof matchMedia === 'function' && matchMedia('(min-width: 1100px)').matches,
  );
  // A window made narrow gives the stage the room the panel took.
  useEffect(() => {
    const wide = matchMedia('(min-width: 1100px)');
    const onChange = () => setPanel(wide.matches);
    wide.addEventListener('change', onChange);
    return () => wide.removeEventListener('change', onChange);
  }, []);
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
          <IconButton
            label={t('call.participantsCount', { count: state.call.participants.length })}
            icon={<Users aria-hidden="true" />}
            withText
            data-testid="call-participants-toggle"
            aria-expanded={panel}
            onClick={() => setPanel(!panel)}
          />
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
          {panel ? <ParticipantList call={state.call} me={me} /> : null}
        </div>
        <CallControls />
      </section>
    );
  }

  const running = state.snapshot?.active ?? [];
  return (
    <section data-testid="screen-call" className="call-idle">
      <h1>{t('call.title')}</h1>
      <CallNotice />
      {running.length ? (
        <ul className="running-calls">
          {running.map((c) => (
            <li key={c.callId} className="running-call">
              <span className="running-call-icon" aria-hidden="true">
                <PhoneCall />
              </span>
              <span className="running-call-text">
                {t('call.running', { room: roomName(c.roomId), count: c.participants.length })}
              </span>
              <Button
                variant="primary"
                testId="call-join"
                disabled={state.joining}
                onClick={() => void joinCall(c.roomId)}
              >
                {t('call.join')}
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState icon={<PhoneOff aria-hidden="true" />} title={t('call.noCall')}>
          <p>{t('call.noCallHint')}</p>
        </EmptyState>
      )}
      <DeviceCheck />
    </section>
  );
}
