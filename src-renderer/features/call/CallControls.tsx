import { useTranslation } from 'react-i18next';
import { useMediaDevices } from '../../lib/media-devices';
import {
  chooseDevice,
  leaveCall,
  startRecording,
  startScreenShare,
  stopRecording,
  stopScreenShare,
  toggleCamera,
  toggleMute,
} from './call-session';
import { setCallState, useCallState } from './call-store';

export function CallControls() {
  const { t } = useTranslation();
  const state = useCallState();
  const { devices } = useMediaDevices();
  const recordingByOther = state.call?.recording && !state.recordingHere;
  const current = (kind: 'audio' | 'video') =>
    (kind === 'audio'
      ? state.camera?.getAudioTracks()[0]
      : state.camera?.getVideoTracks()[0]
    )?.getSettings().deviceId ?? '';
  const select = (kind: MediaDeviceKind, value: string, label: string, testId: string) => (
    <label>
      {label}{' '}
      <select
        data-testid={testId}
        value={value}
        onChange={(e) => void chooseDevice(kind as 'audioinput', e.target.value)}
      >
        {kind === 'audiooutput' ? <option value="">{t('call.defaultDevice')}</option> : null}
        {devices
          .filter((d) => d.kind === kind)
          .map((d, i) => (
            <option key={d.deviceId || i} value={d.deviceId}>
              {d.label || t('call.unnamed', { n: i + 1 })}
            </option>
          ))}
      </select>
    </label>
  );
  return (
    <div className="call-controls" role="toolbar" aria-label={t('call.controls')}>
      <button
        type="button"
        data-testid="call-mute"
        aria-pressed={!state.audioOn}
        onClick={toggleMute}
      >
        {state.audioOn ? t('call.mute') : t('call.unmute')}
      </button>
      <button
        type="button"
        data-testid="call-camera"
        aria-pressed={!state.videoOn}
        onClick={toggleCamera}
      >
        {state.videoOn ? t('call.cameraOff') : t('call.cameraOn')}
      </button>
      <button
        type="button"
        data-testid="call-screenshare"
        aria-pressed={!!state.screen}
        onClick={() => void (state.screen ? stopScreenShare() : startScreenShare())}
      >
        {state.screen ? t('call.stopShare') : t('call.share')}
      </button>
      <button
        type="button"
        data-testid="call-record"
        aria-pressed={state.recordingHere}
        disabled={state.recordingBusy || !!recordingByOther}
        onClick={() => void (state.recordingHere ? stopRecording() : startRecording())}
      >
        {state.recordingHere ? t('call.stopRecord') : t('call.record')}
      </button>
      <button
        type="button"
        data-testid="call-layout"
        onClick={() => setCallState({ layout: state.layout === 'grid' ? 'speaker' : 'grid' })}
      >
        {state.layout === 'grid' ? t('call.speakerView') : t('call.gridView')}
      </button>
      <button
        type="button"
        data-testid="call-stats-toggle"
        aria-pressed={state.showStats}
        onClick={() => setCallState({ showStats: !state.showStats })}
      >
        {t('call.stats')}
      </button>
      <button
        type="button"
        className="danger"
        data-testid="call-leave"
        onClick={() => void leaveCall()}
      >
        {t('call.leave')}
      </button>
      <details className="call-devices">
        <summary>{t('call.devices')}</summary>
        {select('audioinput', current('audio'), t('call.microphone'), 'call-device-microphone')}
        {select('videoinput', current('video'), t('call.camera'), 'call-device-camera')}
        {select('audiooutput', state.sinkId, t('call.speaker'), 'call-device-speaker')}
      </details>
    </div>
  );
}
