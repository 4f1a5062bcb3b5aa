/**
 * Records a call: the stage composited onto a canvas plus every participant's audio mixed with
 * Web Audio, encoded by MediaRecorder to WebM. Each second's output goes straight to main (which
 * writes it to disk), so a long recording never accumulates in this page's memory.
 */
import { MAX_RECORDING_CHUNK_BASE64 } from '../../../src-shared/protocol/limits';
import { call } from '../../lib/api';

export interface RecordingSource {
  id: string;
  name: string;
  camera: MediaStream | null;
  screen: MediaStream | null;
}

const WIDTH = 1280;
const HEIGHT = 720;
const FPS = 15;
const MIME_TYPES = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm'];

export function recordingMimeType(): string | null {
  return MIME_TYPES.find((type) => MediaRecorder.isTypeSupported(type)) ?? null;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Grid cells for n tiles on the canvas: as square as possible. */
export function gridCells(n: number, width: number, height: number) {
  const cols = Math.max(1, Math.ceil(Math.sqrt(n)));
  const rows = Math.max(1, Math.ceil(n / cols));
  const w = width / cols;
  const h = height / rows;
  return Array.from({ length: n }, (_, i) => ({
    x: (i % cols) * w,
    y: Math.floor(i / cols) * h,
    w,
    h,
  }));
}

export class CallRecorder {
  readonly recordingId: string;
  private readonly canvas = document.createElement('canvas');
  private readonly context: CanvasRenderingContext2D;
  private readonly audio = new AudioContext();
  private readonly mix = this.audio.createMediaStreamDestination();
  private readonly audioInputs = new Map<string, MediaStreamAudioSourceNode>();
  private readonly videos = new Map<MediaStream, HTMLVideoElement>();
  private readonly recorder: MediaRecorder;
  private readonly timer: ReturnType<typeof setInterval>;
  private sources: RecordingSource[] = [];
  private seq = 0;
  private sending: Promise<unknown> = Promise.resolve();
  private failure: Error | null = null;

  private constructor(
    recordingId: string,
    mimeType: string,
    private readonly onFailure: (error: Error) => void,
  ) {
    this.recordingId = recordingId;
    this.canvas.width = WIDTH;
    this.canvas.height = HEIGHT;
    this.context = this.canvas.getContext('2d')!;
    this.draw();
    const video = this.canvas.captureStream(FPS).getVideoTracks()[0]!;
    const stream = new MediaStream([video, ...this.mix.stream.getAudioTracks()]);
    this.recorder = new MediaRecorder(stream, {
      mimeType,
      videoBitsPerSecond: 1_500_000,
      audioBitsPerSecond: 64_000,
    });
    this.recorder.ondataavailable = (event) => {
      if (event.data.size > 0) this.enqueue(event.data);
    };
    // A timer, not requestAnimationFrame: drawing must go on while the window is hidden.
    this.timer = setInterval(() => this.draw(), 1000 / FPS);
  }

  /** Starts recording the call in main's store; fails if this Chromium cannot encode WebM. */
  static async start(
    callId: string,
    roomId: string,
    onFailure: (error: Error) => void,
  ): Promise<CallRecorder> {
    const mimeType = recordingMimeType();
    if (!mimeType) throw new Error('this browser cannot record WebM');
    const recording = await call('recordings.start', { callId, roomId, mimeType });
    const recorder = new CallRecorder(recording.id, mimeType, onFailure);
    recorder.recorder.start(1000);
    return recorder;
  }

  /** The participants to draw and mix; called whenever the call changes. */
  setSources(sources: RecordingSource[]): void {
    this.sources = sources;
    const live = new Set<string>();
    for (const source of sources) {
      const track = source.camera?.getAudioTracks()[0];
      if (!track) continue;
      const key = `${source.id}:${track.id}`;
      live.add(key);
      if (!this.audioInputs.has(key)) {
        const node = this.audio.createMediaStreamSource(new MediaStream([track]));
        node.connect(this.mix);
        this.audioInputs.set(key, node);
      }
    }
    for (const [key, node] of this.audioInputs)
      if (!live.has(key)) {
        node.disconnect();
        this.audioInputs.delete(key);
      }
    const streams = new Set(sources.flatMap((s) => [s.camera, s.screen]).filter(Boolean));
    for (const [stream, video] of this.videos)
      if (!streams.has(stream)) {
        video.srcObject = null;
        this.videos.delete(stream);
      }
  }

  /** Stops, waits for every chunk to reach main, and asks main to finish the file. */
  async stop(participants: Parameters<typeof call<'recordings.stop'>>[1]['participants']) {
    clearInterval(this.timer);
    const stopped = new Promise<void>((resolve) => (this.recorder.onstop = () => resolve()));
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    await stopped;
    await this.sending;
    for (const node of this.audioInputs.values()) node.disconnect();
    void this.audio.close();
    for (const video of this.videos.values()) video.srcObject = null;
    return call('recordings.stop', { recordingId: this.recordingId, participants });
  }

  private enqueue(blob: Blob): void {
    this.sending = this.sending.then(async () => {
      if (this.failure) return;
      try {
        const bytes = new Uint8Array(await blob.arrayBuffer());
        const piece = (MAX_RECORDING_CHUNK_BASE64 / 4) * 3;
        for (let offset = 0; offset < bytes.length; offset += piece) {
          const data = toBase64(bytes.subarray(offset, offset + piece));
          await call('recordings.chunk', { recordingId: this.recordingId, seq: this.seq, data });
          this.seq++;
        }
      } catch (error) {
        this.failure = error as Error;
        this.onFailure(this.failure);
      }
    });
  }

  private videoFor(stream: MediaStream): HTMLVideoElement {
    let video = this.videos.get(stream);
    if (!video) {
      video = document.createElement('video');
      video.muted = true;
      video.playsInline = true;
      video.srcObject = stream;
      void video.play().catch(() => undefined);
      this.videos.set(stream, video);
    }
    return video;
  }

  private drawStream(
    stream: MediaStream | null,
    label: string,
    x: number,
    y: number,
    w: number,
    h: number,
  ) {
    const ctx = this.context;
    ctx.fillStyle = '#1d2330';
    ctx.fillRect(x, y, w, h);
    const video = stream && stream.getVideoTracks().length ? this.videoFor(stream) : null;
    if (video && video.videoWidth > 0) {
      const scale = Math.min(w / video.videoWidth, h / video.videoHeight);
      const dw = video.videoWidth * scale;
      const dh = video.videoHeight * scale;
      ctx.drawImage(video, x + (w - dw) / 2, y + (h - dh) / 2, dw, dh);
    }
    ctx.fillStyle = 'rgba(0,0,0,0.55)';
    ctx.fillRect(x, y + h - 26, Math.min(w, 12 + label.length * 9), 26);
    ctx.fillStyle = '#fff';
    ctx.font = '16px sans-serif';
    ctx.fillText(label, x + 6, y + h - 8);
  }

  /** The stage: a shared screen large with cameras in a strip, or a grid of cameras. */
  private draw(): void {
    const ctx = this.context;
    ctx.fillStyle = '#10141c';
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    const sharing = this.sources.find((s) => s.screen);
    if (sharing) {
      const strip = 150;
      this.drawStream(sharing.screen, sharing.name, 0, 0, WIDTH, HEIGHT - strip);
      const cells = this.sources.length;
      const w = WIDTH / Math.max(cells, 1);
      this.sources.forEach((s, i) =>
        this.drawStream(s.camera, s.name, i * w, HEIGHT - strip, w, strip),
      );
      return;
    }
    const cells = gridCells(this.sources.length, WIDTH, HEIGHT);
    this.sources.forEach((s, i) => {
      const c = cells[i]!;
      this.drawStream(s.camera, s.name, c.x, c.y, c.w, c.h);
    });
  }
}
