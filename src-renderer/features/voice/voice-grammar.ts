/**
 * The word list the recognizer listens for, built from the current context: the wake phrases,
 * the words of the commands that make sense right now (in a call, call commands first; no
 * "hang up" outside one), the names of the user's rooms and contacts when a command takes one,
 * and "[unk]" so that other speech is reported as unknown instead of forced onto a command.
 * Fewer competing words means fewer confusions. Words the model does not know are left out and
 * reported, so Settings can say which phrases this model cannot hear.
 */
import type { VoiceLanguage } from '../../../src-shared/settings';
import { UNKNOWN_WORD } from './recognition';
import { CommandMatcher } from './command-matcher';
import { availableCommands, words as splitWords, type VoiceContext } from './voice-commands';

export interface GrammarInput {
  language: VoiceLanguage;
  context: VoiceContext;
  wakePhrases: string[];
  /** The model's vocabulary, when known (graph/words.txt). */
  vocabulary?: ReadonlySet<string> | null;
}

export interface Grammar {
  /** In order of priority, "[unk]" last. */
  words: string[];
  /** Words wanted but not in the model's vocabulary. */
  missing: string[];
  /** Command ids the grammar covers, in the order they are preferred. */
  commands: string[];
}

export function buildGrammar(input: GrammarInput): Grammar {
  const wanted = new Set<string>();
  const add = (list: Iterable<string>) => {
    for (const word of list) wanted.add(word);
  };
  for (const phrase of input.wakePhrases) add(splitWords(phrase));
  const matcher = new CommandMatcher(input.language);
  const commands = availableCommands(input.context);
  for (const command of commands) {
    for (const sequence of matcher.sequences(command)) {
      add(sequence.filter((token) => !token.startsWith('{')));
      if (sequence.includes('{target}'))
        for (const name of input.context.names) add(splitWords(name));
    }
  }
  add(input.language === 'ru' ? ['пожалуйста'] : ['please']);
  const words: string[] = [];
  const missing: string[] = [];
  for (const word of wanted) {
    if (input.vocabulary && !input.vocabulary.has(word)) missing.push(word);
    else words.push(word);
  }
  words.push(UNKNOWN_WORD);
  return { words, missing, commands: commands.map((c) => c.id) };
}

/** A stable key for a grammar, so the recognizer is rebuilt only when the words change. */
export function grammarKey(grammar: Grammar): string {
  return grammar.words.join('\u0000');
}
