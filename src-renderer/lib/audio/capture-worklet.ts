/**
 * AudioWorklet processor: the microphone's render quanta (usually 48 kHz) → 16 kHz mono frames
 * of FRAME_SAMPLES samples, posted to the main thread (which passes them to the recognizer
 * worker). Built as its own file and loaded with audioWorklet.addModule().
 */
import { FrameChunker } from './frames';
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
  private readonly frames = new FrameChunker(FRAME_SAMPLES);

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    this.frames.push(this.resampler.push(channel), (frame) =>
      this.port.postMessage({ samples: frame, sampleRate: TARGET_RATE }, [frame.buffer]),
    );
    return true;
  }
}

registerProcessor('speech-capture', SpeechCaptureProcessor);
