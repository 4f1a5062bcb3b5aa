/**
 * When an utterance starts and ends, from a voice-activity detector's speech probability per
 * frame (Silero VAD, see lib/audio/silero-vad.ts) instead of a fixed signal level: steady fan or
 * street noise has a level but no speech, and soft speech has speech but little level.
 *
 * - Speech starts after `minSpeechMs` of frames above `speechThreshold` (a click or a cough is
 *   shorter). Frames between the two thresholds continue whatever was (hysteresis).
 * - Speech ends after a run of frames below `silenceThreshold`. How long a run depends on what
 *   was said so far: once the words already make a whole command (`setComplete(true)`, from the
 *   recognizer's partial result) a short `endSilenceMs` ends it promptly; otherwise a pause of up
 *   to `pauseMs` is a pause inside the command ("listen, volume … down"), not its end.
 *
 * Times are milliseconds of audio from the first frame pushed, not wall time, so the same
 * decisions come from a file fed at any speed.
 */
export interface VoiceActivityOptions {
  speechThreshold?: number;
  silenceThreshold?: number;
  minSpeechMs?: number;
  endSilenceMs?: number;
  pauseMs?: number;
}

export type VoiceActivityEvent =
  | { kind: 'start'; /** Where speech began. */ atMs: number }
  | {
      kind: 'end';
      /** Where the last speech frame ended. */
      atMs: number;
      /** Where the end was decided (atMs plus the trailing silence waited for). */
      decidedMs: number;
    };

export const DEFAULT_VOICE_ACTIVITY: Required<VoiceActivityOptions> = {
  speechThreshold: 0.5,
  silenceThreshold: 0.35,
  minSpeechMs: 90,
  endSilenceMs: 200,
  pauseMs: 700,
};

export class VoiceActivityDetector {
  private readonly options: Required<VoiceActivityOptions>;
  private nowMs = 0;
  private speaking = false;
  /** Consecutive speech frames while not yet speaking, and where they began. */
  private candidateMs = 0;
  private candidateAt = 0;
  /** The end of the last frame above the silence threshold while speaking. */
  private lastSpeechAt = 0;
  private complete = false;
  private lastProbability = 0;

  constructor(options: VoiceActivityOptions = {}) {
    this.options = { ...DEFAULT_VOICE_ACTIVITY, ...options };
  }

  /** Whether speech is being heard now (for the Voice screen). */
  get inSpeech(): boolean {
    return this.speaking;
  }

  get silenceThreshold(): number {
    return this.options.silenceThreshold;
  }

  get probability(): number {
    return this.lastProbability;
  }

  /** Audio time pushed so far, ms. */
  get timeMs(): number {
    return this.nowMs;
  }

  /** What was said so far is a whole command: end at a short pause. Reset at every start. */
  setComplete(complete: boolean): void {
    this.complete = complete;
  }

  /** One frame's speech probability (0..1) and length; an event when speech starts or ends. */
  push(probability: number, frameMs: number): VoiceActivityEvent | null {
    const { speechThreshold, silenceThreshold, minSpeechMs } = this.options;
    const frameStart = this.nowMs;
    this.nowMs += frameMs;
    this.lastProbability = probability;
    if (!this.speaking) {
      if (probability < speechThreshold) {
        this.candidateMs = 0;
        return null;
      }
      if (this.candidateMs === 0) this.candidateAt = frameStart;
      this.candidateMs += frameMs;
      if (this.candidateMs < minSpeechMs) return null;
      this.speaking = true;
      this.complete = false;
      this.candidateMs = 0;
      this.lastSpeechAt = this.nowMs;
      return { kind: 'start', atMs: this.candidateAt };
    }
    if (probability >= silenceThreshold) {
      this.lastSpeechAt = this.nowMs;
      return null;
    }
    const silentMs = this.nowMs - this.lastSpeechAt;
    const needed = this.complete ? this.options.endSilenceMs : this.options.pauseMs;
    if (silentMs < needed) return null;
    this.speaking = false;
    return { kind: 'end', atMs: this.lastSpeechAt, decidedMs: this.nowMs };
  }
}
