/**
 * Finds a wake phrase in a recognized utterance. Single short words ("hey", «эй») fire falsely in
 * ordinary speech, so the sensitivity setting trades misses against false wakes:
 * - the confidence a wake phrase's words need falls as sensitivity rises (longer phrases need
 *   less, since several words matching by chance is rarer);
 * - below high sensitivity, a single-word phrase counts only at the start of an utterance (a
 *   wake word is said after a pause, not in the middle of a sentence).
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
  private readonly phrases: string[][];

  constructor(
    phrases: string[],
    private readonly sensitivity: number,
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

  detect(heard: RecognizedWord[]): WakeMatch | null {
    const anywhere = this.sensitivity >= 0.75;
    let best: (WakeMatch & { at: number }) | null = null;
    for (const phrase of this.phrases) {
      const threshold = wakeThreshold(this.sensitivity, phrase.length);
      const lastStart = anywhere || phrase.length > 1 ? heard.length - phrase.length : 0;
      for (let at = 0; at <= lastStart; at++) {
        const span = heard.slice(at, at + phrase.length);
        if (span.length < phrase.length) break;
        if (!span.every((w, i) => w.word === phrase[i] && w.conf >= threshold)) continue;
        const confidence = span.reduce((sum, w) => sum + w.conf, 0) / span.length;
        // Earliest occurrence wins; for the same start, the longest phrase (sorted first).
        if (!best || at < best.at) {
          best = {
            phrase: phrase.join(' '),
            confidence,
            rest: heard.slice(at + phrase.length),
            at,
          };
        }
        break;
      }
    }
    if (!best) return null;
    const { at: _at, ...match } = best;
    return match;
  }
}
