/** The camera and microphone this participant sends, opened with graceful fallbacks. */
export interface LocalCapture {
  stream: MediaStream | null;
  /** Why something could not be opened (the call goes on without it). */
  problem: string | null;
}

/** Capture size by call size: big meshes send small pictures, so capturing large ones wastes CPU. */
export function captureFor(participants: number): {
  width: number;
  height: number;
  frameRate: number;
} {
  return participants >= LARGE_CALL
    ? { width: 320, height: 240, frameRate: 15 }
    : { width: 640, height: 480, frameRate: 24 };
}
export const LARGE_CALL = 5;

/** Lowers (or raises) the camera's capture when the call crosses the large-call size. */
export async function adaptCapture(
  stream: MediaStream | null,
  participants: number,
): Promise<void> {
  const track = stream?.getVideoTracks()[0];
  if (!track) return;
  const wanted = captureFor(participants);
  if (track.getSettings().width === wanted.width) return;
  await track
    .applyConstraints({
      width: { ideal: wanted.width },
      height: { ideal: wanted.height },
      frameRate: { ideal: wanted.frameRate },
    })
    .catch(() => undefined); // a camera that cannot change keeps what it has
}

export async function openCameraAndMicrophone(
  devices: { audioInput?: string; videoInput?: string } = {},
  participants = 1,
): Promise<LocalCapture> {
  const size = captureFor(participants);
  const audio: MediaTrackConstraints | boolean = devices.audioInput
    ? { deviceId: { exact: devices.audioInput } }
    : true;
  const video: MediaTrackConstraints = {
    width: { ideal: size.width },
    height: { ideal: size.height },
    frameRate: { ideal: size.frameRate },
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
