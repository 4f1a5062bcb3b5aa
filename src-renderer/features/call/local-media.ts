/** The camera and microphone this participant sends, opened with graceful fallbacks. */
export interface LocalCapture {
  stream: MediaStream | null;
  /** Why something could not be opened (the call goes on without it). */
  problem: string | null;
}

export async function openCameraAndMicrophone(
  devices: { audioInput?: string; videoInput?: string } = {},
): Promise<LocalCapture> {
  const audio: MediaTrackConstraints | boolean = devices.audioInput
    ? { deviceId: { exact: devices.audioInput } }
    : true;
  const video: MediaTrackConstraints = {
    width: { ideal: 640 },
    height: { ideal: 480 },
    frameRate: { ideal: 24 },
    ...(devices.videoInput ? { deviceId: { exact: devices.videoInput } } : {}),
  };
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ audio, video }), problem: null };
  } catch (error) {
    // No camera (or it is busy): try the microphone alone before giving up on media.
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio });
      return { stream, problem: (error as Error).message };
    } catch {
      return { stream: null, problem: (error as Error).message };
    }
  }
}

/** Replaces the stream's track of one kind with a track from another device. */
export async function switchDevice(
  stream: MediaStream,
  kind: 'audio' | 'video',
  deviceId: string,
): Promise<void> {
  const fresh = await navigator.mediaDevices.getUserMedia({
    [kind]: { deviceId: { exact: deviceId } },
  });
  const next = kind === 'audio' ? fresh.getAudioTracks()[0] : fresh.getVideoTracks()[0];
  if (!next) return;
  const old = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
  if (old) {
    next.enabled = old.enabled;
    stream.removeTrack(old);
    old.stop();
  }
  stream.addTrack(next);
}

export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
