/**
 * Recognized words → a command with its arguments, or a reasoned rejection. A command must be
 * said whole and alone (apart from politeness words): speech that only contains a command's
 * words among others is out of grammar, not a guess. Commands are tried in the context's order,
 * so in a call «сбрось» hangs up, and while a call rings it declines.
 */
import type { VoiceLanguage } from '../../../src-shared/settings';
import { UNKNOWN_WORD, type RecognizedWord } from './recognition';
import {
  availableCommands,
  expandPhrase,
  words as splitWords,
  type VoiceCommand,
  type VoiceContext,
} from './voice-commands';

export interface CommandArgs {
  /** The room or person name said for `{target}`, as written in the context. */
  target?: string;
  /** The words said for `{text}`; '' when the command was said without them. */
  text?: string;
}

export type MatchResult =
  | {
      kind: 'command';
      command: VoiceCommand;
      args: CommandArgs;
      confidence: number;
    }
  | {
      kind: 'rejected';
      reason: 'empty' | 'out-of-grammar' | 'low-confidence';
      confidence: number;
      /** For low confidence: the command it would have been. */
      candidate?: string;
    };

const FILLERS: Record<VoiceLanguage, Set<string>> = {
  en: new Set(['please', 'now']),
  ru: new Set(['пожалуйста', 'сейчас']),
};

/** The default confidence a command's words need on average. */
export const DEFAULT_MIN_CONFIDENCE = 0.6;

export class CommandMatcher {
  private readonly expanded = new Map<string, string[][]>();

  constructor(
    private readonly language: VoiceLanguage,
    private readonly minConfidence = DEFAULT_MIN_CONFIDENCE,
  ) {}

  /** The word sequences of one command in this matcher's language. */
  sequences(command: VoiceCommand): string[][] {
    let list = this.expanded.get(command.id);
    if (!list) {
      list = command.phrases[this.language].flatMap(expandPhrase);
      this.expanded.set(command.id, list);
    }
    return list;
  }

  match(heard: RecognizedWord[], context: VoiceContext): MatchResult {
    const fillers = FILLERS[this.language];
    const said = heard.filter((w) => !fillers.has(w.word));
    if (said.length === 0) return { kind: 'rejected', reason: 'empty', confidence: 0 };
    const confidence = said.reduce((sum, w) => sum + w.conf, 0) / said.length;
    if (said.some((w) => w.word === UNKNOWN_WORD))
      return { kind: 'rejected', reason: 'out-of-grammar', confidence };
    const names = context.names
      .map((name) => ({ name, words: splitWords(name) }))
      .filter((n) => n.words.length > 0)
      .sort((a, b) => b.words.length - a.words.length);
    const tokens = said.map((w) => w.word);
    for (const command of availableCommands(context)) {
      for (const sequence of this.sequences(command)) {
        const args = matchSequence(sequence, tokens, names);
        if (!args) continue;
        if (confidence < this.minConfidence)
          return { kind: 'rejected', reason: 'low-confidence', confidence, candidate: command.id };
        return { kind: 'command', command, args, confidence };
      }
    }
    return { kind: 'rejected', reason: 'out-of-grammar', confidence };
  }
}

function matchSequence(
  pattern: string[],
  tokens: string[],
  names: Array<{ name: string; words: string[] }>,
): CommandArgs | null {
  const args: CommandArgs = {};
  let at = 0;
  for (let p = 0; p < pattern.length; p++) {
    const part = pattern[p]!;
    if (part === '{text}') {
      args.text = tokens.slice(at).join(' ');
      return args; // {text} is always last
    }
    if (part === '{target}') {
      const found = names.find((n) => n.words.every((w, i) => tokens[at + i] === w));
      if (!found) return null;
      args.target = found.name;
      at += found.words.length;
      continue;
    }
    if (tokens[at] !== part) return null;
    at++;
  }
  return at === tokens.length ? args : null;
}
