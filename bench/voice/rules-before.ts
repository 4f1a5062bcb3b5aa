/**
 * The wake and matching rules the app had before issue 19, kept as the voice bench's baseline
 * for the rules alone (as energy-end-of-speech.ts is for the end of speech):
 * - a wake phrase of two or more words counted anywhere in an utterance, and a single word
 *   anywhere from sensitivity 0.75 up ("the teaching assistant will…" woke as "hey assistant");
 * - a command had to be heard exactly: one doubled or inserted word ("volume up up") made it
 *   out of grammar, and nothing was ever asked back.
 */
import {
  CommandMatcher,
  type MatchResult,
} from '../../src-renderer/features/voice/command-matcher';
import type { RecognizedWord } from '../../src-renderer/features/voice/recognition';
import type { VoiceContext } from '../../src-renderer/features/voice/voice-commands';
import {
  wakeThreshold,
  WakeWordDetector,
  type WakeMatch,
} from '../../src-renderer/features/voice/wake-words';

export class WakeAnywhere extends WakeWordDetector {
  override detect(heard: RecognizedWord[]): WakeMatch | null {
    const anywhere = this.sensitivity >= 0.75;
    // The earliest phrase heard; for the same start, the longest (phrases are longest first).
    let best: (WakeMatch & { at: number }) | null = null;
    for (const phrase of this.phrases) {
      const threshold = wakeThreshold(this.sensitivity, phrase.length);
      const lastStart = anywhere || phrase.length > 1 ? heard.length - phrase.length : 0;
      for (let at = 0; at <= lastStart; at++) {
        const span = heard.slice(at, at + phrase.length);
        if (!span.every((w, i) => w.word === phrase[i] && w.conf >= threshold)) continue;
        if (!best || at < best.at)
          best = {
            phrase: phrase.join(' '),
            confidence: span.reduce((sum, w) => sum + w.conf, 0) / span.length,
            rest: heard.slice(at + phrase.length),
            at,
          };
        break;
      }
    }
    if (!best) return null;
    const { at: _at, ...match } = best;
    return match;
  }
}

/** Today's matcher without its tolerance: a fit with a word left out, or several, is no match. */
export class ExactMatcher extends CommandMatcher {
  override match(heard: RecognizedWord[], context: VoiceContext): MatchResult {
    const result = super.match(heard, context);
    const tolerated =
      (result.kind === 'command' && result.ignored !== undefined) ||
      (result.kind === 'rejected' && result.reason === 'ambiguous');
    return tolerated
      ? { kind: 'rejected', reason: 'out-of-grammar', confidence: result.confidence }
      : result;
  }
}
