/**
 * Recognized words → a command with its arguments, or a reasoned rejection. Commands are tried
 * in the context's order, so in a call «сбрось» hangs up, and while a call rings it declines.
 *
 * A command is said whole (politeness words aside), but a recognizer hears a word twice or
 * inserts one ("volume up up", "no camera off"): when the words miss every command, each single
 * word is tried left out. If exactly one command then fits, it runs; if several do, the user is
 * asked which ("Did you mean …?"), never given a guess. Unknown speech ("[unk]") is never left
 * out, so talk that is no command stays out of grammar.
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
      /** The word left out to make the command fit, when one was. */
      ignored?: string;
    }
  | {
      kind: 'rejected';
      reason: 'empty' | 'out-of-grammar' | 'low-confidence' | 'ambiguous';
      confidence: number;
      /** For low confidence: the command it would have been. */
      candidate?: string;
      /** For ambiguity: each command that fits with one word left out, and those words. */
      candidates?: Array<{ command: string; words: string }>;
    };

const FILLERS: Record<VoiceLanguage, Set<string>> = {
  en: new Set(['please', 'now']),
  ru: new Set(['пожалуйста', 'сейчас']),
};

/** The default confidence a command's words need on average. */
export const DEFAULT_MIN_CONFIDENCE = 0.6;

/** The confidence a command needs at a sensitivity: a more sensitive setting accepts less. */
export function commandConfidence(sensitivity: number): number {
  return 0.7 - 0.2 * sensitivity;
}

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
    const commands = availableCommands(context);
    const exact = this.find(tokens, commands, names, true);
    if (exact) return this.accept(exact.command, exact.args, confidence);
    // One word too many: a doubled word or an inserted one. Distinct fits are compared by what
    // they would do (the same command, the same arguments), whichever word is left out.
    const fits = new Map<
      string,
      { command: VoiceCommand; args: CommandArgs; words: string[]; ignored: string }
    >();
    // From the last word back, so that the fits come in the order their words were said.
    for (let skip = tokens.length - 1; skip >= 0 && tokens.length > 1; skip--) {
      const rest = tokens.filter((_, i) => i !== skip);
      const fit = this.find(rest, commands, names, false);
      if (!fit) continue;
      const key = `${fit.command.id}\u0000${JSON.stringify(fit.args)}`;
      if (!fits.has(key)) fits.set(key, { ...fit, words: rest, ignored: tokens[skip]! });
    }
    if (fits.size === 1) {
      const [fit] = [...fits.values()];
      return this.accept(fit!.command, fit!.args, confidence, fit!.ignored);
    }
    if (fits.size > 1)
      return {
        kind: 'rejected',
        reason: 'ambiguous',
        confidence,
        candidates: [...fits.values()].map((f) => ({
          command: f.command.id,
          words: f.words.join(' '),
        })),
      };
    return { kind: 'rejected', reason: 'out-of-grammar', confidence };
  }

  /** Whether more words could make `heard` a longer command ("volume" → "volume up"). */
  startsCommand(heard: RecognizedWord[], context: VoiceContext): boolean {
    const fillers = FILLERS[this.language];
    const tokens = heard.map((w) => w.word).filter((w) => !fillers.has(w));
    for (const command of availableCommands(context))
      for (const sequence of this.sequences(command)) {
        if (sequence.length <= tokens.length && !sequence.some((t) => t.startsWith('{'))) continue;
        // A name or free text may take any words: up to there, the words must be the phrase's.
        const fixed = sequence.findIndex((t) => t.startsWith('{'));
        const upTo = Math.min(tokens.length, fixed === -1 ? tokens.length : fixed);
        if (tokens.slice(0, upTo).every((t, i) => sequence[i] === t)) return true;
      }
    return false;
  }

  /** The first command (in context order) whose phrases fit `tokens` exactly. */
  private find(
    tokens: string[],
    commands: VoiceCommand[],
    names: Array<{ name: string; words: string[] }>,
    free: boolean,
  ): { command: VoiceCommand; args: CommandArgs } | null {
    for (const command of commands) {
      for (const sequence of this.sequences(command)) {
        // Free text fits any words, so it takes no part in guessing which word was extra.
        if (!free && sequence.includes('{text}')) continue;
        const args = matchSequence(sequence, tokens, names);
        if (args) return { command, args };
      }
    }
    return null;
  }

  private accept(
    command: VoiceCommand,
    args: CommandArgs,
    confidence: number,
    ignored?: string,
  ): MatchResult {
    if (confidence < this.minConfidence)
      return { kind: 'rejected', reason: 'low-confidence', confidence, candidate: command.id };
    return { kind: 'command', command, args, confidence, ...(ignored ? { ignored } : {}) };
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
