/**
 * Silero VAD (v5, the model @ricky0123/vad-web ships) on onnxruntime-web's WASM backend: 16 kHz
 * samples in, in frames of any size, and one speech probability per 512 samples (32 ms) out.
 * The ONNX runtime and the model's bytes are handed in, so the same code runs in the app's VAD
 * worker, in the voice bench's page and in Node for the tests. Nothing is fetched from the
 * network: the app serves the model and the runtime's WASM itself.
 */
import { Silero } from '@ricky0123/vad-web/dist/models';
import type { Model, OrtModule } from '@ricky0123/vad-web/dist/models';
import { FrameChunker } from './frames';

export const VAD_SAMPLE_RATE = 16000;
export const VAD_FRAME_SAMPLES = 512;
export const VAD_FRAME_MS = (VAD_FRAME_SAMPLES / VAD_SAMPLE_RATE) * 1000;

export class SileroVad {
  private readonly frames = new FrameChunker(VAD_FRAME_SAMPLES);

  private constructor(private readonly model: Model) {}

  /** One single-threaded session (threads would need cross-origin isolation, and 1 is plenty). */
  static async load(ort: OrtModule, modelBytes: ArrayBuffer): Promise<SileroVad> {
    ort.env.wasm.numThreads = 1;
    return new SileroVad(await Silero.new(ort, async () => modelBytes));
  }

  /** The probabilities of every whole 32 ms frame completed by `samples`, in order. */
  async push(samples: Float32Array): Promise<number[]> {
    const whole: Float32Array[] = [];
    this.frames.push(samples, (frame) => whole.push(frame));
    const out: number[] = [];
    for (const frame of whole) out.push((await this.model.process(frame)).isSpeech);
    return out;
  }

  /** A new stream: the model's memory of the last one and any partial frame are dropped. */
  reset(): void {
    this.model.reset_state();
    this.frames.clear();
  }

  async release(): Promise<void> {
    await this.model.release();
  }
}
