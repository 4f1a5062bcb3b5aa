import { useUiIntents } from '../../lib/ui-intents';
import { useEffect, useRef } from 'react';

/** A <video> showing a stream (always muted: sound plays through RemoteAudio). */
export function StreamVideo({
  stream,
  mirrored = false,
}: {
  stream: MediaStream | null;
  mirrored?: boolean;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (video && video.srcObject !== stream) video.srcObject = stream;
  }, [stream]);
  return (
    <video ref={ref} autoPlay muted playsInline className={mirrored ? 'mirrored' : undefined} />
  );
}

/** One remote participant's sound, with this user's volume, mute and speaker choice. */
export function RemoteAudio({
  stream,
  volume,
  muted,
  sinkId,
}: {
  stream: MediaStream | null;
  volume: number;
  muted: boolean;
  sinkId: string;
}) {
  const ref = useRef<HTMLAudioElement>(null);
  // The app's output volume ("louder" / «тише») scales every participant's own volume.
  const master = useUiIntents().outputVolume;
  useEffect(() => {
    const audio = ref.current;
    if (audio && audio.srcObject !== stream) audio.srcObject = stream;
  }, [stream]);
  useEffect(() => {
    if (ref.current) ref.current.volume = Math.min(1, volume * master);
  }, [volume, master]);
  useEffect(() => {
    const audio = ref.current as
      (HTMLAudioElement & { setSinkId?(id: string): Promise<void> }) | null;
    if (audio?.setSinkId && sinkId) audio.setSinkId(sinkId).catch(() => undefined);
  }, [sinkId]);
  return <audio ref={ref} autoPlay muted={muted} />;
}
