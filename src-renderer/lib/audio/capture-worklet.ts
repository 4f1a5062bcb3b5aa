/**
 * AudioWorklet processor: the microphone's render quanta (usually 48 kHz) → 16 kHz mono frames
 * of FRAME_SAMPLES samples, posted to the main thread (which passes them to the recognizer
 * worker). Built as its own file and loaded with audioWorklet.addModule().
 */
import { StreamingResampler } from './resampler';

declare const sampleRate: number;
declare function registerProcessor(name: string, processor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

const TARGET_RATE = 16000;
/** 50 ms at 16 kHz: fine enough to see the end of speech quickly, few enough messages. */
const FRAME_SAMPLES = 800;

class SpeechCaptureProcessor extends AudioWorkletProcessor {
  private readonly resampler = new StreamingResampler(sampleRate, TARGET_RATE);
  private frame = new Float32Array(FRAME_SAMPLES);
  private filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    const resampled = this.resampler.push(channel);
    let offset = 0;
    while (offset < resampled.length) {
      const take = Math.min(FRAME_SAMPLES - this.filled, resampled.length - offset);
      this.frame.set(resampled.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === FRAME_SAMPLES) {
        this.port.postMessage({ samples: this.frame, sampleRate: TARGET_RATE }, [
          this.frame.buffer,
        ]);
        this.frame = new Float32Array(FRAME_SAMPLES);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('speech-capture', SpeechCaptureProcessor);
