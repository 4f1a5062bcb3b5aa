/**
 * Finds a wake phrase in a recognized utterance. People say the wake phrase first, after a pause:
 * the same words inside a sentence ("the teaching assistant will…") are talk, whatever the
 * phrase's length, so only the utterance's first words are looked at. The sensitivity setting
 * trades misses against false wakes through the confidence a wake phrase's words need (longer
 * phrases need less, since several words matching by chance is rarer); see also Settings >
 * Voice, which says when a model's confidences cannot tell one from the other.
 */
import type { RecognizedWord } from './recognition';
import { words as splitWords } from './voice-commands';

export interface WakeMatch {
  phrase: string;
  confidence: number;
  /** The words after the wake phrase: a command said in the same breath. */
  rest: RecognizedWord[];
}

/** The confidence each word of a wake phrase of `length` words needs at `sensitivity`. */
export function wakeThreshold(sensitivity: number, length: number): number {
  const s = Math.min(1, Math.max(0, sensitivity));
  const base = 0.95 - 0.45 * s; // 0.95 at 0, 0.725 at 0.5, 0.5 at 1
  return Math.max(0.3, base - (length > 1 ? 0.15 : 0));
}

export class WakeWordDetector {
  /** Each phrase's words, longest phrase first. */
  protected readonly phrases: string[][];

  constructor(
    phrases: string[],
    protected readonly sensitivity: number,
  ) {
    // Longest first, so "hey assistant" wins over "hey".
    this.phrases = phrases
      .map((p) => splitWords(p))
      .filter((p) => p.length > 0)
      .sort((a, b) => b.length - a.length);
  }

  /** Words the grammar must contain for these phrases. */
  vocabulary(): string[] {
    return [...new Set(this.phrases.flat())];
  }

  /** The wake phrase the utterance starts with (the longest, if several do). */
  detect(heard: RecognizedWord[]): WakeMatch | null {
    for (const phrase of this.phrases) {
      const span = heard.slice(0, phrase.length);
      if (span.length < phrase.length) continue;
      const threshold = wakeThreshold(this.sensitivity, phrase.length);
      if (!span.every((w, i) => w.word === phrase[i] && w.conf >= threshold)) continue;
      return {
        phrase: phrase.join(' '),
        confidence: span.reduce((sum, w) => sum + w.conf, 0) / span.length,
        rest: heard.slice(phrase.length),
      };
    }
    return null;
  }
}
