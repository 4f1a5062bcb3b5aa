import i18next from 'i18next';
import {
  Disc,
  Gauge,
  LayoutGrid,
  Mic,
  MicOff,
  MonitorUp,
  MonitorX,
  PhoneOff,
  Settings2,
  Square,
  UserSquare,
  Video,
  VideoOff,
} from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Popover } from '../../ui/Popover';
import { toast } from '../../ui/Toast';
import { Tooltip } from '../../ui/Tooltip';
import { useMediaDevices } from '../../lib/media-devices';
import {
  chooseDevice,
  joinCall,
  leaveCall,
  startRecording,
  startScreenShare,
  stopRecording,
  stopScreenShare,
  toggleCamera,
  toggleMute,
} from './call-session';
import { getCallState, setCallState, useCallState } from './call-store';
import { Button } from '../../ui/Button';

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
  const control = (
    testId: string,
    label: string,
    icon: ReactNode,
    onClick: () => void,
    extra: { pressed?: boolean; disabled?: boolean; shortcut?: string; danger?: boolean } = {},
  ) => (
    <Tooltip label={label} shortcut={extra.shortcut}>
      <Button
        className={extra.danger ? 'call-control danger-solid' : 'call-control'}
        testId={testId}
        aria-pressed={extra.pressed}
        aria-keyshortcuts={extra.shortcut}
        disabled={extra.disabled}
        onClick={onClick}
      >
        {icon}
        <span className="call-control-label">{label}</span>
      </Button>
    </Tooltip>
  );
  return (
    <div className="call-controls" role="toolbar" aria-label={t('call.controls')}>
      {control(
        'call-mute',
        state.audioOn ? t('call.mute') : t('call.unmute'),
        state.audioOn ? <Mic aria-hidden="true" /> : <MicOff aria-hidden="true" />,
        toggleMute,
        { pressed: !state.audioOn, shortcut: CALL_SHORTCUTS.mute },
      )}
      {control(
        'call-camera',
        state.videoOn ? t('call.cameraOff') : t('call.cameraOn'),
        state.videoOn ? <Video aria-hidden="true" /> : <VideoOff aria-hidden="true" />,
        toggleCamera,
        { pressed: !state.videoOn, shortcut: CALL_SHORTCUTS.camera },
      )}
      {control(
        'call-screenshare',
        state.screen ? t('call.stopShare') : t('call.share'),
        state.screen ? <MonitorX aria-hidden="true" /> : <MonitorUp aria-hidden="true" />,
        () => void (state.screen ? stopScreenShare() : startScreenShare()),
        { pressed: !!state.screen },
      )}
      {control(
        'call-record',
        state.recordingHere ? t('call.stopRecord') : t('call.record'),
        state.recordingHere ? <Square aria-hidden="true" /> : <Disc aria-hidden="true" />,
        () => void (state.recordingHere ? stopRecording() : startRecording()),
        { pressed: state.recordingHere, disabled: state.recordingBusy || !!recordingByOther },
      )}
      {control(
        'call-layout',
        state.layout === 'grid' ? t('call.speakerView') : t('call.gridView'),
        state.layout === 'grid' ? (
          <UserSquare aria-hidden="true" />
        ) : (
          <LayoutGrid aria-hidden="true" />
        ),
        () => setCallState({ layout: state.layout === 'grid' ? 'speaker' : 'grid' }),
      )}
      {control(
        'call-stats-toggle',
        t('call.stats'),
        <Gauge aria-hidden="true" />,
        () => setCallState({ showStats: !state.showStats }),
        { pressed: state.showStats },
      )}
      <Popover
        label={t('call.devices')}
        className="call-devices-body"
        side="top"
        align="center"
        testId="call-devices"
        trigger={
          <Button
            className="call-control"
            aria-label={t('call.devices')}
            title={t('call.devices')}
            testId="call-devices-toggle"
          >
            <Settings2 aria-hidden="true" />
            <span className="call-control-label">{t('call.devicesShort')}</span>
          </Button>
        }
      >
        {select('audioinput', current('audio'), t('call.microphone'), 'call-device-microphone')}
        {select('videoinput', current('video'), t('call.camera'), 'call-device-camera')}
        {select('audiooutput', state.sinkId, t('call.speaker'), 'call-device-speaker')}
      </Popover>
      {control('call-leave', t('call.leave'), <PhoneOff aria-hidden="true" />, leaveWithUndo, {
        danger: true,
      })}
    </div>
  );
}

/** Keyboard shortcuts of the call (as in the peers: Ctrl+D the microphone, Ctrl+E the camera). */
export const CALL_SHORTCUTS = { mute: 'Control+D', camera: 'Control+E' } as const;

/** Leaves now; a toast offers to come back, since leaving by accident is easy. */
export function leaveWithUndo(): void {
  const roomId = getCallState().call?.roomId;
  void leaveCall().then(() => {
    if (!roomId) return;
    toast({
      text: i18next.t('call.left'),
      action: {
        label: i18next.t('call.rejoin'),
        testId: 'call-rejoin',
        run: () => void joinCall(roomId),
      },
    });
  });
}
