/**
 * Only speech reaches the recognizer. The microphone's audio waits here until the voice
 * detector has judged it (its probabilities come back from a worker, 32 ms of audio each, in
 * order); then:
 *
 * - before speech, recent audio is kept: when the detector is sure speech started (a few frames
 *   in), the audio from `preRollMs` before where it started goes on, so the first sound of a word
 *   is not lost. No more than that: the recognizer hears a word in a third of a second of noise
 *   ("up hey louder"), and a wake phrase must be the first thing it hears;
 * - during speech, audio goes on to the recognizer; a pause is held back, and passed on only if
 *   speech resumes (a pause inside a command), apart from `postRollMs` right after speech;
 * - at the end of speech, what was held back is dropped and the recognizer is asked for its
 *   final result.
 *
 * Noise before and after a command never reaches the recognizer, so it cannot hear a word in it
 * ("up hey mute microphone", "volume down up"), and a wake phrase is the first thing it hears.
 *
 * While push-to-talk is held the user has said it is speech: the gate is open and all audio goes
 * on at once (the detector still judges it, for the level meter), so a word the detector would
 * have missed is heard all the same.
 */
import { FrameChunker } from '../../lib/audio/frames';
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
  /** Audio not yet judged, in the detector's frames, oldest first. */
  private readonly frames = new FrameChunker(VAD_FRAME_SAMPLES);
  private unjudged: Array<{ frame: Float32Array; passed: boolean }> = [];
  private isOpen = false;
  /** Recent audio before speech, with where each frame starts (ms of audio). */
  private preRoll: Array<{ frame: Float32Array; atMs: number }> = [];
  private held: Float32Array[] = [];
  /** Judged silent frames passed on since the last speech frame. */
  private trailing = 0;
  private readonly preRollMs: number;
  private readonly keptFrames: number;
  private readonly postRollFrames: number;
  private readonly frameMs: number;

  constructor(
    private readonly detector: VoiceActivityDetector,
    private readonly sink: SpeechSink,
    options: SpeechGateOptions = {},
    private readonly sampleRate = 16000,
  ) {
    this.frameMs = (VAD_FRAME_SAMPLES / sampleRate) * 1000;
    this.preRollMs = options.preRollMs ?? 100;
    this.keptFrames = Math.ceil((this.preRollMs + 500) / this.frameMs);
    this.postRollFrames = Math.round((options.postRollMs ?? 96) / this.frameMs);
  }

  /** Audio from the microphone, in order, in frames of any size. */
  audio(samples: Float32Array): void {
    if (this.isOpen) this.sink.accept(samples);
    this.frames.push(samples, (frame) => this.unjudged.push({ frame, passed: this.isOpen }));
  }

  /** Push-to-talk: open, everything goes on as it comes; closed again, only speech. */
  open(on: boolean): void {
    if (on === this.isOpen) return;
    this.isOpen = on;
    // What was held back or kept from before is older than what went on while open.
    this.preRoll = [];
    this.held = [];
  }

  /**
   * The detector's probabilities for the next frames of the audio, in order: passes speech on
   * and returns the start and end events they caused.
   */
  probabilities(values: number[]): VoiceActivityEvent[] {
    const events: VoiceActivityEvent[] = [];
    for (const probability of values) {
      const next = this.unjudged.shift();
      if (!next) break;
      const { frame } = next;
      const wasSpeaking = this.detector.inSpeech;
      const frameAt = this.detector.timeMs;
      const event = this.detector.push(probability, this.frameMs);
      if (event) events.push(event);
      // Already passed on (the gate was open), or to be passed on as it comes: judged only.
      if (next.passed || this.isOpen) continue;
      if (event?.kind === 'start') {
        // The frames that made the detector sure are in the pre-roll already.
        for (const kept of this.preRoll)
          if (kept.atMs >= event.atMs - this.preRollMs) this.sink.accept(kept.frame);
        this.preRoll = [];
        this.sink.accept(frame);
        this.trailing = 0;
      } else if (event?.kind === 'end') {
        this.held = [];
        this.sink.flush();
        this.keep(frame, frameAt);
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
      } else this.keep(frame, frameAt);
    }
    return events;
  }

  /**
   * The detector is gone (it failed, or stopped answering): what waited for its judgement, and
   * what was kept from before speech or held back in a pause, goes on in order, so words said
   * meanwhile still reach the recognizer. The caller then sends audio straight to it.
   */
  release(): void {
    const waiting = [
      ...this.preRoll.map((kept) => kept.frame),
      ...this.held,
      ...this.unjudged.filter((next) => !next.passed).map((next) => next.frame),
    ];
    this.preRoll = [];
    this.held = [];
    this.unjudged = [];
    for (const frame of waiting) this.sink.accept(frame);
  }

  private keep(frame: Float32Array, atMs: number): void {
    this.preRoll.push({ frame, atMs });
    // Enough to reach back from where the detector became sure to before where speech began.
    if (this.preRoll.length > this.keptFrames) this.preRoll.shift();
  }
}
