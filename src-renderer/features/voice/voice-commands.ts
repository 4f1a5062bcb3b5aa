/**
 * Every voice command the app understands: its id, category, the phrases that say it in each
 * language, and the context in which it makes sense. Plain data and pure functions, so the
 * matcher, the grammar builder and the "what can I say" list all read the same catalog.
 *
 * Phrase syntax: words separated by spaces; `(a|b)` one of; `[a]` or `[a|b]` optional;
 * `{target}` a room or person name; `{text}` any words to the end (may be empty: the next
 * utterance is then taken as the text).
 */
import type { VoiceLanguage } from '../../../src-shared/settings';

export type VoiceCategory = 'system' | 'navigation' | 'content' | 'communication';
export const VOICE_CATEGORIES: VoiceCategory[] = [
  'system',
  'navigation',
  'content',
  'communication',
];

/** What the grammar and the matcher need to know about the app right now. */
export interface VoiceContext {
  screen: string;
  inCall: boolean;
  incomingCall: boolean;
  muted: boolean;
  cameraOn: boolean;
  sharing: boolean;
  recording: boolean;
  dictating: boolean;
  windowVisible: boolean;
  /** Names that `{target}` may be: the user's rooms and contacts. */
  names: string[];
}

export const IDLE_CONTEXT: VoiceContext = {
  screen: 'chats',
  inCall: false,
  incomingCall: false,
  muted: false,
  cameraOn: true,
  sharing: false,
  recording: false,
  dictating: false,
  windowVisible: true,
  names: [],
};

export interface VoiceCommand {
  id: string;
  category: VoiceCategory;
  phrases: Record<VoiceLanguage, string[]>;
  /** When absent the command is always available. */
  when?: (context: VoiceContext) => boolean;
  /** Whether the action can be undone ("undo" / «отмена»). */
  reversible?: boolean;
}

const inCall = (c: VoiceContext) => c.inCall;
const screenIsNot = (screen: string) => (c: VoiceContext) => c.screen !== screen;

export const VOICE_COMMANDS: VoiceCommand[] = [
  // ── communication: first, because in a call these matter most ────────────────────────────
  {
    id: 'communication.answer',
    category: 'communication',
    phrases: { en: ['answer [the] [call]', 'accept [the] call'], ru: ['ответь', 'прими звонок'] },
    when: (c) => c.incomingCall,
  },
  {
    id: 'communication.decline',
    category: 'communication',
    phrases: { en: ['decline [the] [call]', 'reject [the] call'], ru: ['сбрось', 'отклони'] },
    when: (c) => c.incomingCall && !c.inCall,
  },
  {
    id: 'communication.hangup',
    category: 'communication',
    phrases: {
      en: ['hang up', 'end [the] call', 'leave [the] call'],
      ru: ['сбрось', 'закончить звонок', 'положи трубку'],
    },
    when: inCall,
  },
  {
    id: 'communication.call',
    category: 'communication',
    phrases: { en: ['call {target}'], ru: ['позвони {target}'] },
    when: (c) => !c.inCall && c.names.length > 0,
  },
  {
    id: 'communication.cameraOn',
    category: 'communication',
    phrases: {
      en: ['(turn|switch) [the] camera on', 'camera on'],
      ru: ['включи камеру'],
    },
    when: (c) => c.inCall && !c.cameraOn,
    reversible: true,
  },
  {
    id: 'communication.cameraOff',
    category: 'communication',
    phrases: {
      en: ['(turn|switch) [the] camera off', 'camera off'],
      ru: ['выключи камеру'],
    },
    when: (c) => c.inCall && c.cameraOn,
    reversible: true,
  },
  {
    id: 'communication.shareScreen',
    category: 'communication',
    phrases: { en: ['share [my|the] screen', 'start sharing'], ru: ['покажи экран'] },
    when: (c) => c.inCall && !c.sharing,
  },
  {
    id: 'communication.stopSharing',
    category: 'communication',
    phrases: { en: ['stop sharing', 'stop screen sharing'], ru: ['останови показ'] },
    when: (c) => c.inCall && c.sharing,
  },
  {
    id: 'communication.recordStart',
    category: 'communication',
    phrases: { en: ['start recording', 'record [the] call'], ru: ['начать запись'] },
    when: (c) => c.inCall && !c.recording,
  },
  {
    id: 'communication.recordStop',
    category: 'communication',
    phrases: { en: ['stop recording'], ru: ['закончить запись', 'останови запись'] },
    when: (c) => c.inCall && c.recording,
  },
  // ── system ─────────────────────────────────────────────────────────────────────────────────
  {
    id: 'system.mute',
    category: 'system',
    phrases: {
      en: ['mute [the] [microphone|mic]', '(turn|switch) [the] microphone off', 'microphone off'],
      ru: ['выключи микрофон', 'отключи микрофон'],
    },
    when: (c) => c.inCall && !c.muted,
    reversible: true,
  },
  {
    id: 'system.unmute',
    category: 'system',
    phrases: {
      en: ['unmute [the] [microphone|mic]', '(turn|switch) [the] microphone on', 'microphone on'],
      ru: ['включи микрофон'],
    },
    when: (c) => c.inCall && c.muted,
    reversible: true,
  },
  {
    id: 'system.volumeUp',
    category: 'system',
    phrases: {
      en: ['(volume|sound) up', 'louder', 'turn [the] (volume|sound) up'],
      ru: ['громче', 'звук громче', 'прибавь звук'],
    },
    reversible: true,
  },
  {
    id: 'system.volumeDown',
    category: 'system',
    phrases: {
      en: ['(volume|sound) down', 'quieter', 'turn [the] (volume|sound) down'],
      ru: ['тише', 'звук тише', 'убавь звук'],
    },
    reversible: true,
  },
  {
    id: 'system.stopListening',
    category: 'system',
    phrases: { en: ['stop listening'], ru: ['хватит слушать', 'перестань слушать'] },
  },
  {
    id: 'system.showWindow',
    category: 'system',
    phrases: { en: ['show [the] window'], ru: ['покажи окно'] },
    when: (c) => !c.windowVisible,
  },
  {
    id: 'system.hideWindow',
    category: 'system',
    phrases: { en: ['hide [the] window'], ru: ['скрой окно', 'спрячь окно'] },
    when: (c) => c.windowVisible,
  },
  {
    id: 'system.help',
    category: 'system',
    phrases: {
      en: ['what can i say', 'list commands'],
      ru: ['что можно сказать', 'список команд'],
    },
  },
  {
    id: 'system.undo',
    category: 'system',
    phrases: { en: ['undo', 'cancel'], ru: ['отмена', 'отмени'] },
  },
  // ── navigation ─────────────────────────────────────────────────────────────────────────────
  ...(
    [
      ['chats', 'chats', 'чаты'],
      ['call', 'calls', 'звонки'],
      ['voice', 'voice', 'голос'],
      ['analytics', 'dashboard', 'аналитику'],
      ['health', 'health', 'здоровье'],
      ['settings', 'settings', 'настройки'],
    ] as const
  ).map(([screen, en, ru]): VoiceCommand => ({
    id: `navigation.${screen}`,
    category: 'navigation',
    phrases: { en: [`(open|show) ${en}`, `go to ${en}`], ru: [`открой ${ru}`] },
    when: screenIsNot(screen),
  })),
  {
    id: 'navigation.nextRoom',
    category: 'navigation',
    phrases: { en: ['next room'], ru: ['следующая комната'] },
  },
  {
    id: 'navigation.previousRoom',
    category: 'navigation',
    phrases: { en: ['previous room'], ru: ['предыдущая комната'] },
  },
  // ── content ────────────────────────────────────────────────────────────────────────────────
  {
    id: 'content.search',
    category: 'content',
    phrases: { en: ['search [for] {text}', 'find {text}'], ru: ['найди {text}', 'поиск {text}'] },
  },
  {
    id: 'content.readLast',
    category: 'content',
    phrases: {
      en: ['read [the] last message'],
      ru: ['прочитай последнее [сообщение]'],
    },
  },
  {
    id: 'content.dictationStart',
    category: 'content',
    phrases: { en: ['start dictation', 'dictate [a] [message]'], ru: ['начать диктовку'] },
    when: (c) => !c.dictating,
  },
  {
    id: 'content.dictationStop',
    category: 'content',
    phrases: { en: ['stop dictation'], ru: ['закончить диктовку'] },
    when: (c) => c.dictating,
  },
];

export const COMMANDS_BY_ID = new Map(VOICE_COMMANDS.map((c) => [c.id, c]));

/** A phrase as its possible word sequences; slots stay as `{target}` / `{text}` tokens. */
export function expandPhrase(phrase: string): string[][] {
  let sequences: string[][] = [[]];
  for (const token of phrase.trim().split(/\s+/)) {
    const optional = token.startsWith('[') && token.endsWith(']');
    const group = (token.startsWith('(') && token.endsWith(')')) || optional;
    const choices = group ? token.slice(1, -1).split('|') : [token];
    const next: string[][] = [];
    for (const sequence of sequences) {
      for (const choice of choices) next.push([...sequence, choice]);
      if (optional) next.push(sequence);
    }
    sequences = next;
  }
  return sequences;
}

/** The commands that make sense in `context`, in the order the grammar and matcher prefer. */
export function availableCommands(context: VoiceContext): VoiceCommand[] {
  const available = VOICE_COMMANDS.filter((c) => !c.when || c.when(context));
  if (context.inCall) return available; // communication is first in the catalog
  const rank = (c: VoiceCommand) => (c.category === 'communication' ? 1 : 0);
  return [...available].sort((a, b) => rank(a) - rank(b));
}

/** Lowercases and splits a name or utterance into words, as the recognizer writes them. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}'[\]]+/u)
    .filter(Boolean);
}

/**
 * A phrase of the grammar as a person would say it: the first choice of each `(a|b)`, optional
 * words kept (their first choice), `{target}` and `{text}` filled with the examples given.
 * "(turn|switch) [the] camera off" → "turn the camera off".
 */
export function examplePhrase(phrase: string, examples: { target: string; text: string }): string {
  return phrase
    .replace(/[([]([^)\]]*)[)\]]/g, (_, choices: string) => choices.split('|')[0]!)
    .replace('{target}', examples.target)
    .replace('{text}', examples.text)
    .replace(/\s+/g, ' ')
    .trim();
}
