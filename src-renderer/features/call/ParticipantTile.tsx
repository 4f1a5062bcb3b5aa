import { useTranslation } from 'react-i18next';
import type { WireCallParticipant } from '../../../src-shared/protocol/calls';
import type { RemoteMedia } from '../../lib/webrtc/call-topology';
import type { PeerQuality } from '../../lib/webrtc/call-stats';
import { peerView, useCallState } from './call-store';
import { RemoteAudio, StreamVideo } from './MediaView';

function fmt(value: number | null, digits = 0): string {
  return value === null ? '–' : value.toFixed(digits);
}

export function QualityOverlay({ quality }: { quality: PeerQuality | undefined }) {
  const { t } = useTranslation();
  if (!quality)
    return (
      <div className="call-stats" data-testid="call-stats">
        {t('call.statsWaiting')}
      </div>
    );
  return (
    <div
      className="call-stats"
      data-testid="call-stats"
      data-audio-bytes={quality.audioBytes}
      data-video-bytes={quality.videoBytes}
      data-frames-decoded={quality.framesDecoded}
    >
      {t('call.rtt')} {fmt(quality.rttMs)} ms · {t('call.jitter')} {fmt(quality.jitterMs, 1)} ms ·{' '}
      {t('call.loss')} {fmt(quality.lossPct, 1)}% · {fmt(quality.bitrateKbps)} kbit/s ·{' '}
      {fmt(quality.fps)} {t('call.fps')} ·{' '}
      {quality.width ? `${quality.width}×${quality.height}` : '–'}
    </div>
  );
}

/** A remote participant: camera, name, state, their sound, and the quality overlay. */
export function ParticipantTile({
  participant,
  remote,
}: {
  participant: WireCallParticipant;
  remote: RemoteMedia | undefined;
}) {
  const { t } = useTranslation();
  const state = useCallState();
  const view = peerView(participant.userId);
  const speaking = state.speaker === participant.userId;
  const showVideo = participant.media.video && !view.videoHidden && remote?.camera;
  return (
    <div
      className={`tile${speaking ? ' speaking' : ''}`}
      data-testid="call-participant"
      data-name={participant.name}
      data-state={remote?.state ?? 'new'}
    >
      {showVideo ? (
        <StreamVideo stream={remote!.camera} />
      ) : (
        <div className="avatar">{participant.name.slice(0, 1)}</div>
      )}
      <RemoteAudio
        stream={remote?.camera ?? null}
        volume={view.volume}
        muted={view.mutedForMe || participant.forcedMute}
        sinkId={state.sinkId}
      />
      <div className="tile-label">
        {participant.name}
        {!participant.media.audio || participant.forcedMute ? ` · ${t('call.micOff')}` : ''}
        {participant.reconnecting || (remote && remote.state !== 'connected')
          ? ` · ${t('call.reconnecting')}`
          : ''}
      </div>
      {state.showStats ? <QualityOverlay quality={state.quality[participant.userId]} /> : null}
    </div>
  );
}

export function SelfTile({ name }: { name: string }) {
  const { t } = useTranslation();
  const state = useCallState();
  const speaking = state.speaker !== null && state.speaker === state.snapshot?.me;
  return (
    <div className={`tile self${speaking ? ' speaking' : ''}`} data-testid="call-self">
      {state.videoOn && state.camera?.getVideoTracks().length ? (
        <StreamVideo stream={state.camera} mirrored />
      ) : (
        <div className="avatar">{name.slice(0, 1)}</div>
      )}
      <div className="tile-label">
        {t('call.you')}
        {state.audioOn ? '' : ` · ${t('call.micOff')}`}
      </div>
    </div>
  );
}
