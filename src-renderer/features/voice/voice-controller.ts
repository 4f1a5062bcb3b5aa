/**
 * The voice-control state machine, engine- and DOM-free: recognizer utterances in, actions,
 * history entries, cues and states out.
 *
 *   idle ──wake phrase──▶ listening ──command──▶ heard ──(a moment)──▶ idle
 *     ▲                      │ timeout / not a command
 *     └──────────────────────┘
 *
 * A command said in the same breath as the wake phrase ("hey, mute microphone") runs at once.
 * Push-to-talk enters `listening` without a wake phrase. A command whose `{text}` was not said
 * ("search") takes the next utterance as its text, and dictation sends every utterance to the
 * composer until "stop dictation"; for both the recognizer is switched to free speech.
 * Speech heard while idle without a wake phrase is dropped: it is neither acted on nor stored.
 */
import type { VoiceLanguage } from '../../../src-shared/settings';
import { utterance as fromText, type Utterance } from './recognition';
import { CommandMatcher, commandConfidence, type CommandArgs } from './command-matcher';
import { WakeWordDetector } from './wake-words';
import { COMMANDS_BY_ID, type VoiceCategory, type VoiceContext } from './voice-commands';

export type VoiceState = 'idle' | 'listening' | 'heard';

/** The longest a held push-to-talk listens. */
const HOLD_LIMIT_MS = 31_000;
export type GrammarMode = 'commands' | 'free';

export interface ActionOutcome {
  ok: boolean;
  /** An i18n key saying what was done or why not. */
  message: string;
  values?: Record<string, string>;
  /** Present for reversible actions that succeeded. */
  undo?: () => unknown;
}

export interface VoiceHistoryDraft {
  at: number;
  text: string;
  command: string | null;
  category: VoiceCategory | null;
  confidence: number;
  outcome: 'done' | 'failed' | 'rejected';
  detail: string;
  /** Values for the detail's message ("Did you mean {{options}}?"). */
  values?: Record<string, string>;
}

export interface VoiceControllerDeps {
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
  context(): VoiceContext;
  run(commandId: string, args: CommandArgs): Promise<ActionOutcome>;
  dictate(text: string): void;
  record(entry: VoiceHistoryDraft): void;
  onState(state: VoiceState): void;
  onGrammarMode(mode: GrammarMode): void;
  cue(kind: 'wake' | 'done' | 'error'): void;
}

export interface VoiceControllerOptions {
  language: VoiceLanguage;
  wakePhrases: string[];
  sensitivity: number;
  /** How long after the wake phrase a command is waited for. */
  listenWindowMs?: number;
  /** How long `heard` stays before returning to `idle`. */
  heardMs?: number;
  /** Other wake and matching rules than the app's (the voice bench's baseline). */
  rules?: { wake: WakeWordDetector; matcher: CommandMatcher };
}

export class VoiceController {
  private state: VoiceState = 'idle';
  private readonly wake: WakeWordDetector;
  private readonly matcher: CommandMatcher;
  private timer: unknown = null;
  /** A command waiting for its `{text}` in the next utterance. */
  private awaitingText: string | null = null;
  private dictating = false;
  private undoLast: (() => unknown) | null = null;
  private readonly listenWindowMs: number;
  private readonly heardMs: number;
  private readonly sensitivity: number;
  /** `listening` was entered from a partial result of the utterance still being spoken. */
  private wokeByPartial = false;

  constructor(
    private readonly deps: VoiceControllerDeps,
    options: VoiceControllerOptions,
  ) {
    this.sensitivity = options.sensitivity;
    this.wake =
      options.rules?.wake ?? new WakeWordDetector(options.wakePhrases, options.sensitivity);
    this.matcher =
      options.rules?.matcher ??
      new CommandMatcher(options.language, commandConfidence(options.sensitivity));
    this.listenWindowMs = options.listenWindowMs ?? 6000;
    this.heardMs = options.heardMs ?? 1500;
  }

  current(): VoiceState {
    return this.state;
  }

  isDictating(): boolean {
    return this.dictating;
  }

  canUndo(): boolean {
    return this.undoLast !== null;
  }

  /** Push-to-talk or the tray: listen for one command without a wake phrase. */
  listenNow(options: { hold?: boolean } = {}): void {
    this.deps.cue('wake');
    // Held: listening lasts until the key is let go (main ends a forgotten hold after 30 s).
    this.enter('listening', options.hold ? HOLD_LIMIT_MS : this.listenWindowMs);
  }

  /**
   * The push-to-talk key was let go: the final words are on their way (the caller asks the
   * recognizer for them); without a command among them, back to idle shortly.
   */
  releaseTalk(graceMs = 1500): void {
    if (this.state === 'listening') this.enter('listening', graceMs);
  }

  /**
   * Whether the utterance heard so far (a partial result) may end at a short pause: it is a whole
   * command, or words that no more words could make one. A wake phrase alone, the start of a
   * command ("listen, volume …"), free text and talk not addressed to the app may go on after a
   * pause. (Partial results lag: "turn camera" may already be "turn camera off" when it ends.)
   */
  canEndSoon(text: string): boolean {
    if (this.dictating || this.awaitingText) return false;
    const heard = fromText(text).words;
    const woke = this.wake.detect(heard);
    let command = heard;
    if (woke) command = woke.rest;
    else if (this.state !== 'listening') return false;
    if (command.length === 0) return false;
    const context = this.deps.context();
    const result = this.matcher.match(command, context);
    // Free text ("search …") may go on after a short pause.
    if (result.kind === 'command') return result.args.text === undefined;
    return !this.matcher.startsCommand(command, context);
  }

  /** A recognizer's partial text: a wake phrase in it shows `listening` before the pause. */
  partial(text: string): void {
    if (this.state !== 'idle' || this.dictating || this.awaitingText) return;
    const heard = fromText(text).words;
    const match = this.wake.detect(heard);
    if (match && match.rest.length === 0) {
      this.wokeByPartial = true;
      this.enter('listening', this.listenWindowMs);
    }
  }

  async utterance(said: Utterance): Promise<void> {
    if (said.words.length === 0) return;
    if (this.awaitingText) {
      const commandId = this.awaitingText;
      this.awaitingText = null;
      this.deps.onGrammarMode(this.dictating ? 'free' : 'commands');
      await this.execute(said.text, commandId, { text: said.text }, mean(said.words));
      return;
    }
    if (this.dictating) {
      const stop = this.matcher.match(this.wake.detect(said.words)?.rest ?? said.words, {
        ...this.deps.context(),
        dictating: true,
      });
      if (stop.kind === 'command' && stop.command.id === 'content.dictationStop') {
        await this.execute(said.text, stop.command.id, stop.args, stop.confidence);
      } else this.deps.dictate(said.text);
      return;
    }
    const woke = this.wake.detect(said.words);
    let command = said.words;
    // Listening since a partial result of this very utterance is not listening since a pause.
    const addressedBefore = this.state === 'listening' && !this.wokeByPartial;
    this.wokeByPartial = false;
    if (!addressedBefore) {
      if (!woke) return; // not addressed to us: neither acted on nor stored
      if (woke.rest.length === 0) {
        this.deps.cue('wake');
        this.enter('listening', this.listenWindowMs);
        return;
      }
      // "Hey" or «слушай» opening a sentence that is no command is ordinary talk, not a
      // request: below high sensitivity it is ignored like any other speech. A longer wake
      // phrase, or a lone wake word and a pause, does address the app.
      if (this.sensitivity < 0.75 && woke.phrase.split(' ').length === 1) {
        const rest = this.matcher.match(woke.rest, this.deps.context());
        if (rest.kind === 'rejected' && rest.reason === 'out-of-grammar') {
          if (this.state !== 'idle') this.enter('idle'); // a partial may have shown listening
          return;
        }
      }
      this.deps.cue('wake');
      command = woke.rest;
    } else if (woke && woke.rest.length > 0) command = woke.rest;
    else if (woke) {
      this.enter('listening', this.listenWindowMs); // the wake phrase again: keep listening
      return;
    }
    const text = command.map((w) => w.word).join(' ');
    const result = this.matcher.match(command, this.deps.context());
    if (result.kind === 'rejected') {
      this.deps.record({
        at: this.deps.now(),
        text,
        command: result.candidate ?? null,
        category: result.candidate
          ? (COMMANDS_BY_ID.get(result.candidate)?.category ?? null)
          : null,
        confidence: result.confidence,
        outcome: 'rejected',
        detail: result.reason,
        ...(result.candidates
          ? { values: { options: result.candidates.map((c) => `«${c.words}»`).join(' / ') } }
          : {}),
      });
      this.deps.cue('error');
      this.enter('idle');
      return;
    }
    const { command: matched, args } = result;
    if (args.text === '' && matched.id === 'content.search') {
      this.awaitingText = matched.id;
      this.deps.onGrammarMode('free');
      this.enter('listening', this.listenWindowMs * 2);
      return;
    }
    await this.execute(text, matched.id, args, result.confidence);
  }

  private async execute(
    text: string,
    commandId: string,
    args: CommandArgs,
    confidence: number,
  ): Promise<void> {
    const command = COMMANDS_BY_ID.get(commandId)!;
    this.enter('heard', this.heardMs);
    let outcome: ActionOutcome;
    try {
      if (commandId === 'system.undo') outcome = await this.undo();
      else outcome = await this.deps.run(commandId, args);
    } catch (error) {
      outcome = { ok: false, message: 'voice.outcome.error', values: { error: String(error) } };
    }
    if (outcome.ok) {
      if (commandId === 'content.dictationStart') this.setDictating(true);
      if (commandId === 'content.dictationStop') this.setDictating(false);
      if (commandId !== 'system.undo') this.undoLast = outcome.undo ?? null;
    }
    this.deps.record({
      at: this.deps.now(),
      text,
      command: commandId,
      category: command.category,
      confidence,
      outcome: outcome.ok ? 'done' : 'failed',
      detail: outcome.message,
    });
    this.deps.cue(outcome.ok ? 'done' : 'error');
  }

  private async undo(): Promise<ActionOutcome> {
    const undo = this.undoLast;
    this.undoLast = null;
    if (!undo) return { ok: false, message: 'voice.outcome.nothingToUndo' };
    await undo();
    return { ok: true, message: 'voice.outcome.undone' };
  }

  /** The undo button beside the last action: the same path as saying "undo". */
  async undoFromButton(): Promise<boolean> {
    const outcome = await this.undo();
    return outcome.ok;
  }

  private setDictating(on: boolean): void {
    this.dictating = on;
    this.deps.onGrammarMode(on ? 'free' : 'commands');
  }

  private enter(state: VoiceState, forMs?: number): void {
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
    if (state !== this.state) {
      this.state = state;
      this.deps.onState(state);
    }
    if (forMs !== undefined && state !== 'idle') {
      this.timer = this.deps.setTimer(() => {
        this.timer = null;
        if (this.awaitingText) {
          this.awaitingText = null;
          this.deps.onGrammarMode(this.dictating ? 'free' : 'commands');
        }
        this.enter('idle');
      }, forMs);
    }
  }

  dispose(): void {
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
  }
}

function mean(list: Array<{ conf: number }>): number {
  return list.length === 0 ? 0 : list.reduce((sum, w) => sum + w.conf, 0) / list.length;
}
