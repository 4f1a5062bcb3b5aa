/**
 * The app's end-of-speech rule before the voice-activity detector, kept as the voice bench's
 * baseline ("before"): a fixed level decides what is speech. In steady noise the level never
 * falls below it, and soft speech falls below it inside words.
 *
 * Notices the end of an utterance from the signal level, so the recognizer can be asked for its
 * final result at once instead of waiting for its own, longer, trailing-silence rule. Speech is
 * a frame above `speechLevel`; the end is `silenceMs` of frames below it after some speech.
 */
export interface EndOfSpeechOptions {
  speechLevel?: number;
  silenceMs?: number;
  /** Shorter bursts (a click, a cough) do not count as speech. */
  minSpeechMs?: number;
}

export class EndOfSpeechDetector {
  private speechMs = 0;
  private silentMs = 0;
  private readonly speechLevel: number;
  private readonly silenceMs: number;
  private readonly minSpeechMs: number;

  constructor(options: EndOfSpeechOptions = {}) {
    this.speechLevel = options.speechLevel ?? 0.015;
    this.silenceMs = options.silenceMs ?? 250;
    this.minSpeechMs = options.minSpeechMs ?? 150;
  }

  /** Feeds one frame; true when this frame completes an utterance's trailing silence. */
  push(level: number, frameMs: number): boolean {
    if (level >= this.speechLevel) {
      this.speechMs += frameMs;
      this.silentMs = 0;
      return false;
    }
    if (this.speechMs < this.minSpeechMs) {
      this.speechMs = 0;
      return false;
    }
    this.silentMs += frameMs;
    if (this.silentMs < this.silenceMs) return false;
    this.speechMs = 0;
    this.silentMs = 0;
    return true;
  }
}
