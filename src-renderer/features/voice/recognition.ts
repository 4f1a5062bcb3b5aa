/**
 * What a speech recognizer reports for one finished utterance, independent of the engine:
 * the text and each word with its confidence (0..1). Vosk writes unknown speech as "[unk]".
 */
export interface RecognizedWord {
  word: string;
  conf: number;
  /** Seconds from the start of the stream, when the engine reports them. */
  start?: number;
  end?: number;
}

export interface Utterance {
  text: string;
  words: RecognizedWord[];
}

export const UNKNOWN_WORD = '[unk]';

/** An utterance from plain text, every word with the same confidence (tests, typed commands). */
export function utterance(text: string, conf = 1): Utterance {
  const list = text
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => ({ word, conf }));
  return { text: list.map((w) => w.word).join(' '), words: list };
}

/** Vosk's result message → Utterance; a result without word timings gets confidence 1. */
export function fromVoskResult(result: {
  text?: string;
  result?: Array<{ word: string; conf: number; start?: number; end?: number }>;
}): Utterance {
  const text = (result.text ?? '').trim();
  const words =
    result.result && result.result.length > 0
      ? result.result.map((w) => ({
          word: w.word.toLowerCase(),
          conf: w.conf,
          start: w.start,
          end: w.end,
        }))
      : utterance(text).words;
  return { text, words };
}
