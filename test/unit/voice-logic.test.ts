/**
 * The layers above the speech engine, fed with recognizer result streams written here: wake
 * phrases, command matching (near misses, noise, out-of-grammar speech), context grammars and
 * the controller's states, history, undo, search and dictation.
 */
import { ExactMatcher, WakeAnywhere } from '../../bench/voice/rules-before';
import {
  CommandMatcher,
  commandConfidence,
} from '../../src-renderer/features/voice/command-matcher';
import { modelKey, needsRestart } from '../../src-renderer/features/voice/engine-model';
import { utterance, type RecognizedWord } from '../../src-renderer/features/voice/recognition';
import {
  IDLE_CONTEXT,
  VOICE_COMMANDS,
  availableCommands,
  expandPhrase,
  type VoiceContext,
} from '../../src-renderer/features/voice/voice-commands';
import {
  VoiceController,
  type ActionOutcome,
  type VoiceControllerDeps,
  type VoiceControllerOptions,
  type VoiceHistoryDraft,
} from '../../src-renderer/features/voice/voice-controller';
import { buildGrammar } from '../../src-renderer/features/voice/voice-grammar';
import { WakeWordDetector, wakeThreshold } from '../../src-renderer/features/voice/wake-words';
import type { VoiceModelStatus } from '../../src-shared/ipc/voice-types';
import { DEFAULT_WAKE_PHRASES } from '../../src-shared/settings';

const said = (text: string, conf = 0.95): RecognizedWord[] => utterance(text, conf).words;
const IN_CALL: VoiceContext = { ...IDLE_CONTEXT, screen: 'call', inCall: true };
const RINGING: VoiceContext = { ...IDLE_CONTEXT, incomingCall: true };

describe('phrases', () => {
  it('expands alternatives and optional words', () => {
    expect(expandPhrase('(turn|switch) [the] camera on').map((s) => s.join(' '))).toEqual([
      'turn the camera on',
      'turn camera on',
      'switch the camera on',
      'switch camera on',
    ]);
  });

  it('every command has phrases in both languages and a known category', () => {
    for (const command of VOICE_COMMANDS) {
      expect(command.phrases.en.length).toBeGreaterThan(0);
      expect(command.phrases.ru.length).toBeGreaterThan(0);
      expect(['system', 'navigation', 'content', 'communication']).toContain(command.category);
    }
  });

  it('no two commands available together say the same words', () => {
    const contexts = [IDLE_CONTEXT, IN_CALL, RINGING, { ...IN_CALL, muted: true, sharing: true }];
    for (const language of ['en', 'ru'] as const) {
      const matcher = new CommandMatcher(language);
      for (const context of contexts) {
        const seen = new Map<string, string>();
        for (const command of availableCommands(context)) {
          for (const sequence of matcher.sequences(command)) {
            const key = sequence.join(' ');
            expect([language, key, seen.get(key) ?? command.id]).toEqual([
              language,
              key,
              command.id,
            ]);
            seen.set(key, command.id);
          }
        }
      }
    }
  });
});

describe('WakeWordDetector', () => {
  const detector = new WakeWordDetector(DEFAULT_WAKE_PHRASES.en, 0.5);

  it('finds a wake word at the start and returns the command after it', () => {
    const match = detector.detect(said('hey mute microphone'));
    expect(match?.phrase).toBe('hey');
    expect(match?.rest.map((w) => w.word)).toEqual(['mute', 'microphone']);
  });

  it('prefers the longer phrase', () => {
    expect(detector.detect(said('hey assistant louder'))?.phrase).toBe('hey assistant');
  });

  it('wakes only at the start of an utterance, whatever the phrase or the sensitivity', () => {
    for (const sensitivity of [0.2, 0.5, 1]) {
      const any = new WakeWordDetector(DEFAULT_WAKE_PHRASES.en, sensitivity);
      expect(any.detect(said('i said hey to him'))).toBeNull();
      // Heard in the outside check: a two-word phrase inside a sentence is talk.
      expect(any.detect(said('the teaching assistant will grade the papers'))).toBeNull();
      expect(any.detect(said('so hey assistant mute'))).toBeNull();
      expect(any.detect(said('hey assistant mute'))?.phrase).toBe('hey assistant');
    }
    const ru = new WakeWordDetector(DEFAULT_WAKE_PHRASES.ru, 0.9);
    expect(ru.detect(said('я сказал слушай ассистент громче'))).toBeNull();
  });

  it('needs more confidence at low sensitivity', () => {
    const unsure = said('hey mute', 0.7);
    expect(new WakeWordDetector(['hey'], 0.1).detect(unsure)).toBeNull();
    expect(new WakeWordDetector(['hey'], 0.9).detect(unsure)?.phrase).toBe('hey');
    expect(wakeThreshold(0, 1)).toBeGreaterThan(wakeThreshold(1, 1));
    expect(wakeThreshold(0.5, 2)).toBeLessThan(wakeThreshold(0.5, 1));
  });

  it('does not fire on near-miss words', () => {
    expect(detector.detect(said('hay mute microphone'))).toBeNull();
    expect(new WakeWordDetector(DEFAULT_WAKE_PHRASES.ru, 0.5).detect(said('слушать'))).toBeNull();
  });

  it('works in Russian', () => {
    const ru = new WakeWordDetector(DEFAULT_WAKE_PHRASES.ru, 0.5);
    expect(ru.detect(said('слушай ассистент громче'))?.phrase).toBe('слушай ассистент');
    expect(ru.detect(said('эй'))?.rest).toEqual([]);
  });
});

describe('CommandMatcher', () => {
  const en = new CommandMatcher('en');
  const ru = new CommandMatcher('ru');
  const id = (result: ReturnType<CommandMatcher['match']>) =>
    result.kind === 'command' ? result.command.id : `rejected:${result.reason}`;

  it('matches commands with optional words and politeness', () => {
    expect(id(en.match(said('mute the microphone'), IN_CALL))).toBe('system.mute');
    expect(id(en.match(said('mute'), IN_CALL))).toBe('system.mute');
    expect(id(en.match(said('please turn camera off'), IN_CALL))).toBe('communication.cameraOff');
    expect(id(ru.match(said('громче пожалуйста'), IDLE_CONTEXT))).toBe('system.volumeUp');
  });

  it('follows the context: no hang up outside a call, «сбрось» declines while ringing', () => {
    expect(id(en.match(said('hang up'), IDLE_CONTEXT))).toBe('rejected:out-of-grammar');
    expect(id(en.match(said('hang up'), IN_CALL))).toBe('communication.hangup');
    expect(id(ru.match(said('сбрось'), RINGING))).toBe('communication.decline');
    expect(id(ru.match(said('сбрось'), IN_CALL))).toBe('communication.hangup');
    expect(id(en.match(said('unmute'), IN_CALL))).toBe('rejected:out-of-grammar');
    expect(id(en.match(said('unmute'), { ...IN_CALL, muted: true }))).toBe('system.unmute');
  });

  it('takes names and free text as arguments', () => {
    const context = { ...IDLE_CONTEXT, names: ['Design team', 'Alice'] };
    const call = en.match(said('call design team'), context);
    expect(call.kind === 'command' && call.args).toEqual({ target: 'Design team' });
    expect(id(en.match(said('call bob'), context))).toBe('rejected:out-of-grammar');
    const search = en.match(said('search for budget'), context);
    expect(search.kind === 'command' && search.args).toEqual({ text: 'budget' });
    const bare = ru.match(said('найди'), context);
    expect(bare.kind === 'command' && bare.args).toEqual({ text: '' });
  });

  it('rejects out-of-grammar speech, unknown words, noise and near misses', () => {
    expect(id(en.match(said('mute microphone now and then'), IN_CALL))).toBe(
      'rejected:out-of-grammar',
    );
    expect(id(en.match(said('[unk] [unk]'), IN_CALL))).toBe('rejected:out-of-grammar');
    expect(id(en.match(said('mute [unk]'), IN_CALL))).toBe('rejected:out-of-grammar');
    expect(id(en.match(said('mutt microphone'), IN_CALL))).toBe('rejected:out-of-grammar');
    expect(id(en.match([], IN_CALL))).toBe('rejected:empty');
    expect(id(en.match(said('please'), IN_CALL))).toBe('rejected:empty');
  });

  it('rejects a command heard with low confidence, naming the candidate', () => {
    const result = en.match(said('volume up', 0.3), IDLE_CONTEXT);
    expect(result).toMatchObject({
      kind: 'rejected',
      reason: 'low-confidence',
      candidate: 'system.volumeUp',
    });
  });

  // Heard strings of the outside check, and their kind.
  it('runs a command heard with a doubled or an inserted word when only one command fits', () => {
    const camera = { ...IN_CALL, cameraOn: true };
    expect(en.match(said('volume up up'), IDLE_CONTEXT)).toMatchObject({
      kind: 'command',
      command: { id: 'system.volumeUp' },
      ignored: 'up',
    });
    expect(en.match(said('no camera off'), camera)).toMatchObject({
      kind: 'command',
      command: { id: 'communication.cameraOff' },
      ignored: 'no',
    });
    expect(id(en.match(said('mute the the microphone'), IN_CALL))).toBe('system.mute');
    expect(id(ru.match(said('громче громче'), IDLE_CONTEXT))).toBe('system.volumeUp');
    expect(id(ru.match(said('эй покажи окно'), { ...IDLE_CONTEXT, windowVisible: false }))).toBe(
      'system.showWindow',
    );
    // The exact command wins over any tolerant reading.
    expect(en.match(said('volume up'), IDLE_CONTEXT)).not.toHaveProperty('ignored');
  });

  it('asks back instead of guessing when the extra word could be either', () => {
    expect(en.match(said('mute louder'), IN_CALL)).toMatchObject({
      kind: 'rejected',
      reason: 'ambiguous',
      candidates: expect.arrayContaining([
        { command: 'system.mute', words: 'mute' },
        { command: 'system.volumeUp', words: 'louder' },
      ]),
    });
  });

  it('never leaves out unknown speech, nor more than one word', () => {
    expect(id(en.match(said('volume [unk] up'), IDLE_CONTEXT))).toBe('rejected:out-of-grammar');
    expect(id(en.match(said('volume up up up'), IDLE_CONTEXT))).toBe('rejected:out-of-grammar');
    expect(id(en.match(said('order a pizza'), IDLE_CONTEXT))).toBe('rejected:out-of-grammar');
    expect(id(en.match(said('yes no yes'), RINGING))).toBe('rejected:out-of-grammar');
    expect(id(ru.match(said('да нет да'), RINGING))).toBe('rejected:out-of-grammar');
    // Free text takes no part: "search" with a word too many is still a search for them all.
    const search = en.match(said('search for for budget'), IDLE_CONTEXT);
    expect(search.kind === 'command' && search.args).toEqual({ text: 'for budget' });
  });
});

describe('buildGrammar', () => {
  it('lists wake words, then the commands of the context, and [unk] last', () => {
    const grammar = buildGrammar({
      language: 'en',
      context: IN_CALL,
      wakePhrases: ['hey'],
    });
    expect(grammar.words[0]).toBe('hey');
    expect(grammar.words.at(-1)).toBe('[unk]');
    expect(grammar.words).toEqual(expect.arrayContaining(['hang', 'up', 'mute', 'microphone']));
    expect(grammar.commands[0]).toMatch(/^communication\./);
    const idle = buildGrammar({ language: 'en', context: IDLE_CONTEXT, wakePhrases: ['hey'] });
    expect(idle.words).not.toContain('hang');
    expect(idle.commands.indexOf('system.volumeUp')).toBeLessThan(
      idle.commands.indexOf('content.search'),
    );
  });

  it('adds the names of rooms and contacts when a command takes a name', () => {
    const grammar = buildGrammar({
      language: 'ru',
      context: { ...IDLE_CONTEXT, names: ['Команда Дизайна'] },
      wakePhrases: ['слушай'],
    });
    expect(grammar.words).toEqual(expect.arrayContaining(['позвони', 'команда', 'дизайна']));
    const inCall = buildGrammar({
      language: 'ru',
      context: { ...IN_CALL, names: ['Команда Дизайна'] },
      wakePhrases: ['слушай'],
    });
    expect(inCall.words).not.toContain('дизайна');
  });

  it('leaves out and reports words the model does not know', () => {
    const vocabulary = new Set(['hey', 'mute', 'microphone', 'louder']);
    const grammar = buildGrammar({
      language: 'en',
      context: IN_CALL,
      wakePhrases: ['hey', 'listen'],
      vocabulary,
    });
    expect(grammar.words).toEqual(['hey', 'mute', 'microphone', 'louder', '[unk]']);
    expect(grammar.missing).toContain('listen');
    expect(grammar.missing).toContain('hang');
  });
});

describe('VoiceController', () => {
  function setup(
    context: VoiceContext = IN_CALL,
    outcome: Partial<ActionOutcome> = {},
    rules?: VoiceControllerOptions['rules'],
  ) {
    const timers: Array<{ run: () => void; at: number } | null> = [];
    let now = 0;
    const history: VoiceHistoryDraft[] = [];
    const states: string[] = [];
    const runs: Array<[string, unknown]> = [];
    const dictated: string[] = [];
    const modes: string[] = [];
    const cues: string[] = [];
    let undone = 0;
    let ctx = context;
    const deps: VoiceControllerDeps = {
      now: () => now,
      setTimer: (run, ms) => timers.push({ run, at: now + ms }) - 1,
      clearTimer: (t) => void (timers[t as number] = null),
      context: () => ctx,
      run: async (commandId, args) => {
        runs.push([commandId, args]);
        return { ok: true, message: 'ok', undo: () => undone++, ...outcome };
      },
      dictate: (text) => dictated.push(text),
      record: (entry) => history.push(entry),
      onState: (state) => states.push(state),
      onGrammarMode: (mode) => modes.push(mode),
      cue: (kind) => cues.push(kind),
    };
    const controller = new VoiceController(deps, {
      language: 'en',
      wakePhrases: DEFAULT_WAKE_PHRASES.en,
      sensitivity: 0.5,
      ...(rules ? { rules } : {}),
    });
    const advance = (ms: number) => {
      now += ms;
      timers.forEach((t, i) => {
        if (t && t.at <= now) {
          timers[i] = null;
          t.run();
        }
      });
    };
    const say = (text: string, conf = 0.95) => controller.utterance(utterance(text, conf));
    return {
      controller,
      say,
      advance,
      history,
      states,
      runs,
      dictated,
      modes,
      cues,
      undone: () => undone,
      setContext: (next: VoiceContext) => (ctx = next),
    };
  }

  it('runs a command said with the wake word, records it, and returns to idle', async () => {
    const t = setup();
    await t.say('hey mute microphone');
    expect(t.runs).toEqual([['system.mute', {}]]);
    expect(t.states).toEqual(['heard']);
    expect(t.cues).toEqual(['wake', 'done']);
    expect(t.history).toEqual([
      expect.objectContaining({
        text: 'mute microphone',
        command: 'system.mute',
        category: 'system',
        outcome: 'done',
      }),
    ]);
    t.advance(1500);
    expect(t.controller.current()).toBe('idle');
  });

  it('waits for the command after a lone wake word, then gives up', async () => {
    const t = setup();
    await t.say('hey');
    expect(t.controller.current()).toBe('listening');
    await t.say('hang up');
    expect(t.runs).toEqual([['communication.hangup', {}]]);
    await t.say('hey');
    t.advance(6000);
    expect(t.controller.current()).toBe('idle');
    await t.say('mute');
    expect(t.runs).toHaveLength(1); // no wake word: ignored
  });

  it('ignores and stores nothing of speech not addressed to it', async () => {
    const t = setup();
    await t.say('mute microphone');
    await t.say('we should hang up the poster');
    expect(t.runs).toEqual([]);
    expect(t.history).toEqual([]);
    expect(t.states).toEqual([]);
  });

  it('listens while push-to-talk is held, and briefly after it is let go', async () => {
    const t = setup();
    t.controller.listenNow({ hold: true });
    t.advance(20_000); // far beyond the usual listening window: still held
    expect(t.controller.current()).toBe('listening');
    t.controller.releaseTalk();
    t.advance(1000);
    expect(t.controller.current()).toBe('listening'); // the final words are on their way
    await t.say('mute');
    expect(t.runs).toEqual([['system.mute', {}]]);
    t.controller.listenNow({ hold: true });
    t.controller.releaseTalk();
    t.advance(1500);
    expect(t.controller.current()).toBe('idle');
  });

  it('takes a lone wake word opening ordinary talk for talk, a longer phrase for a request', async () => {
    const t = setup();
    await t.controller.partial('hey');
    expect(t.controller.current()).toBe('listening');
    await t.say('hey what a lovely day');
    expect(t.controller.current()).toBe('idle');
    expect([t.history, t.cues, t.runs]).toEqual([[], [], []]);
    await t.say('hey');
    await t.say('order a pizza'); // after a pause, it was a request
    expect(t.history.map((h) => h.outcome)).toEqual(['rejected']);
  });

  it('records a rejected command after the wake word with its reason', async () => {
    const t = setup();
    await t.say('hey assistant order a pizza');
    await t.controller.utterance({
      text: 'hey louder',
      words: [
        { word: 'hey', conf: 0.95 },
        { word: 'louder', conf: 0.4 },
      ],
    });
    expect(t.runs).toEqual([]);
    expect(t.history.map((h) => [h.outcome, h.detail, h.command])).toEqual([
      ['rejected', 'out-of-grammar', null],
      ['rejected', 'low-confidence', 'system.volumeUp'],
    ]);
    expect(t.cues).toContain('error');
  });

  it('undoes the last reversible action', async () => {
    const t = setup();
    await t.say('hey mute');
    await t.say('hey undo');
    expect(t.undone()).toBe(1);
    await t.say('hey undo');
    expect(t.history.at(-1)).toMatchObject({ command: 'system.undo', outcome: 'failed' });
  });

  it('push-to-talk listens without a wake word', async () => {
    const t = setup();
    t.controller.listenNow();
    await t.say('hang up');
    expect(t.runs).toEqual([['communication.hangup', {}]]);
  });

  it('takes the next utterance as the search text, in free speech', async () => {
    const t = setup(IDLE_CONTEXT);
    await t.say('hey search');
    expect(t.modes).toEqual(['free']);
    await t.say('quarterly budget');
    expect(t.runs).toEqual([['content.search', { text: 'quarterly budget' }]]);
    expect(t.modes).toEqual(['free', 'commands']);
  });

  it('dictates into the composer until "stop dictation"', async () => {
    const t = setup(IDLE_CONTEXT);
    await t.say('hey start dictation');
    await t.say('see you at noon');
    await t.say('and bring the slides');
    await t.say('stop dictation');
    expect(t.dictated).toEqual(['see you at noon', 'and bring the slides']);
    expect(t.runs.map((r) => r[0])).toEqual(['content.dictationStart', 'content.dictationStop']);
    expect(t.controller.isDictating()).toBe(false);
    expect(t.modes).toEqual(['free', 'commands']);
  });

  it('runs "hey no camera off" and asks back about "hey mute louder"', async () => {
    const t = setup();
    t.setContext({ ...IN_CALL, cameraOn: true });
    await t.say('hey no camera off');
    expect(t.runs).toEqual([['communication.cameraOff', {}]]);
    await t.say('hey mute louder');
    expect(t.runs).toHaveLength(1);
    expect(t.history.at(-1)).toMatchObject({
      outcome: 'rejected',
      detail: 'ambiguous',
      values: { options: '«mute» / «louder»' },
    });
  });

  it('takes other rules: the bench baseline of the rules before gets the heard strings wrong', async () => {
    const heard = async (t: ReturnType<typeof setup>) => {
      await t.say('so hey assistant mute');
      t.advance(10_000);
      await t.say('hey assistant volume up up');
      return t.runs.map((r) => r[0]);
    };
    const before = setup(
      IN_CALL,
      {},
      {
        wake: new WakeAnywhere(DEFAULT_WAKE_PHRASES.en, 0.5),
        matcher: new ExactMatcher('en', commandConfidence(0.5)),
      },
    );
    // A wake phrase inside talk woke it and ran what followed; the doubled word lost the command.
    expect(await heard(before)).toEqual(['system.mute']);
    expect(before.history.at(-1)).toMatchObject({ outcome: 'rejected', detail: 'out-of-grammar' });
    expect(await heard(setup())).toEqual(['system.volumeUp']);
  });

  it('says when what was heard so far may end at a short pause, for the end of speech', async () => {
    const t = setup();
    const { controller } = t;
    t.setContext({ ...IDLE_CONTEXT, names: ['Design team'] });
    expect(controller.canEndSoon('listen volume')).toBe(false); // a pause inside the command
    expect(controller.canEndSoon('listen volume down')).toBe(true);
    expect(controller.canEndSoon('hey')).toBe(false); // the command may follow a pause
    expect(controller.canEndSoon('hey call')).toBe(false); // a name may follow
    expect(controller.canEndSoon('hey search budget')).toBe(false); // free text goes on
    // No words could make a command of it (a lagging partial, say): no need to wait.
    expect(controller.canEndSoon('hey camera louder')).toBe(true);
    expect(controller.canEndSoon('volume down')).toBe(false); // not addressed: talk
    expect(controller.canEndSoon('the teaching assistant')).toBe(false);
    await t.say('hey');
    expect(controller.canEndSoon('volume down')).toBe(true); // listening since the wake phrase
    controller.dispose();
  });

  it('records a failed action with its message', async () => {
    const t = setup(IN_CALL, { ok: false, message: 'call.error' });
    await t.say('hey hang up');
    expect(t.history[0]).toMatchObject({ outcome: 'failed', detail: 'call.error' });
  });
});

describe('restarting voice control when the models change', () => {
  const model = (name: string, state: VoiceModelStatus['state'] = 'ready'): VoiceModelStatus => ({
    language: 'en',
    state,
    name: state === 'ready' ? name : null,
    url: state === 'ready' ? `/voice-models/en/${name}.tar.gz` : null,
    sizeBytes: null,
    sha256: state === 'ready' ? `sha-of-${name}` : null,
    checksum: null,
    source: null,
    vocabularySize: null,
    runtimeGrammar: null,
    progress: null,
    error: null,
    download: null,
  });
  const real = model('real');

  it('loads a model that replaces the one the engine runs, and not the same one again', () => {
    const running = { enabled: true, failed: false, engineModel: modelKey(real) };
    expect(needsRestart({ ...running, model: model('broken') })).toBe(true);
    expect(needsRestart({ ...running, model: real })).toBe(false);
    // An import under way: its "ready" comes later.
    expect(needsRestart({ ...running, model: model('broken', 'importing') })).toBe(false);
  });

  it('does not miss a model that arrives while a start is loading the one it read before', () => {
    // The start under way read the old model (engineModel is set as it reads it), then the new
    // one is announced: the start must be followed by another, or the old model stays.
    const loadingOld = { enabled: true, failed: false, engineModel: modelKey(real) };
    expect(needsRestart({ ...loadingOld, model: model('new') })).toBe(true);
    // A start that has not read the models yet has none: it is followed by another all the same.
    expect(needsRestart({ ...loadingOld, engineModel: null, model: model('new') })).toBe(true);
  });

  it('tries again after a failed start, and never while voice control is off', () => {
    expect(needsRestart({ enabled: true, failed: true, engineModel: null, model: real })).toBe(
      true,
    );
    expect(
      needsRestart({
        enabled: true,
        failed: true,
        engineModel: null,
        model: model('x', 'missing'),
      }),
    ).toBe(true);
    expect(needsRestart({ enabled: false, failed: true, engineModel: null, model: real })).toBe(
      false,
    );
  });
});
