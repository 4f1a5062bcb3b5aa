/**
 * Only speech reaches the recognizer. The microphone's audio waits here until the voice
 * detector has judged it (its probabilities come back from a worker, 32 ms of audio each, in
 * order); then:
 *
 * - before speech, the last `preRollMs` are kept, so the first sound of a word is not lost when
 *   speech starts (the detector needs a few frames to be sure);
 * - during speech, audio goes on to the recognizer; a pause is held back, and passed on only if
 *   speech resumes (a pause inside a command), apart from `postRollMs` right after speech;
 * - at the end of speech, what was held back is dropped and the recognizer is asked for its
 *   final result.
 *
 * Noise before and after a command never reaches the recognizer, so it cannot hear a word in it
 * ("up hey mute microphone", "volume down up"), and a wake phrase is the first thing it hears.
 */
import { VAD_FRAME_SAMPLES } from '../../lib/audio/silero-vad';
import type { VoiceActivityDetector, VoiceActivityEvent } from './voice-activity';

export interface SpeechSink {
  accept(samples: Float32Array): void;
  flush(): void;
}

export interface SpeechGateOptions {
  preRollMs?: number;
  postRollMs?: number;
}

export class SpeechGate {
  /** Audio not yet judged, oldest first. */
  private queue: Float32Array[] = [];
  private queued = 0;
  private preRoll: Float32Array[] = [];
  private held: Float32Array[] = [];
  /** Judged silent frames passed on since the last speech frame. */
  private trailing = 0;
  private readonly preRollFrames: number;
  private readonly postRollFrames: number;
  private readonly frameMs: number;

  constructor(
    private readonly detector: VoiceActivityDetector,
    private readonly sink: SpeechSink,
    options: SpeechGateOptions = {},
    private readonly sampleRate = 16000,
  ) {
    this.frameMs = (VAD_FRAME_SAMPLES / sampleRate) * 1000;
    this.preRollFrames = Math.ceil((options.preRollMs ?? 320) / this.frameMs);
    this.postRollFrames = Math.round((options.postRollMs ?? 96) / this.frameMs);
  }

  /** Audio from the microphone, in order, in frames of any size. */
  audio(samples: Float32Array): void {
    this.queue.push(samples);
    this.queued += samples.length;
  }

  /**
   * The detector's probabilities for the next frames of the audio, in order: passes speech on
   * and returns the start and end events they caused.
   */
  probabilities(values: number[]): VoiceActivityEvent[] {
    const events: VoiceActivityEvent[] = [];
    for (const probability of values) {
      const frame = this.take(VAD_FRAME_SAMPLES);
      if (!frame) break;
      const wasSpeaking = this.detector.inSpeech;
      const event = this.detector.push(probability, this.frameMs);
      if (event) events.push(event);
      if (event?.kind === 'start') {
        // The frames that made the detector sure are in the pre-roll already.
        for (const kept of this.preRoll) this.sink.accept(kept);
        this.preRoll = [];
        this.sink.accept(frame);
        this.trailing = 0;
      } else if (event?.kind === 'end') {
        this.held = [];
        this.sink.flush();
        this.keep(frame);
      } else if (wasSpeaking) {
        if (probability >= this.detector.silenceThreshold) {
          for (const kept of this.held) this.sink.accept(kept);
          this.held = [];
          this.sink.accept(frame);
          this.trailing = 0;
        } else if (this.trailing < this.postRollFrames) {
          this.sink.accept(frame);
          this.trailing++;
        } else this.held.push(frame);
      } else this.keep(frame);
    }
    return events;
  }

  /** Forget everything (voice control stopped or restarted). */
  reset(): void {
    this.queue = [];
    this.queued = 0;
    this.preRoll = [];
    this.held = [];
    this.trailing = 0;
    this.detector.reset();
  }

  private keep(frame: Float32Array): void {
    this.preRoll.push(frame);
    if (this.preRoll.length > this.preRollFrames) this.preRoll.shift();
  }

  private take(count: number): Float32Array | null {
    if (this.queued < count) return null;
    const out = new Float32Array(count);
    let filled = 0;
    while (filled < count) {
      const head = this.queue[0]!;
      const n = Math.min(count - filled, head.length);
      out.set(head.subarray(0, n), filled);
      filled += n;
      if (n === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(n);
    }
    this.queued -= count;
    return out;
  }
}
