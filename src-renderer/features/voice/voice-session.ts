/**
 * Voice control at run time, one per page and outside React (it keeps listening on every screen
 * and while the window is hidden): follows Settings > Voice, loads the model's engine lazily,
 * captures the microphone, rebuilds the grammar whenever the context changes, runs the
 * controller, stores history, plays cues, and tells main its state for the tray icon.
 * Turning voice control off stops the microphone and terminates the engine's worker.
 */
import { useSyncExternalStore } from 'react';
import { track } from '../../lib/analytics';
import { call, onEvent } from '../../lib/api';
import type { Settings, VoiceSettings } from '../../../src-shared/settings';
import type { VoiceIndicatorState } from '../../../src-shared/ipc/voice-types';
import { getCallState, subscribeCallState } from '../call/call-store';
import { toggleMute } from '../call/call-session';
import { ringingCalls } from '../../../src-shared/protocol/ringing';
import { startSpeechCapture, type SpeechCapture } from '../../lib/audio/speech-capture';
import { playTones } from '../../lib/audio/tones';
import { dictate, getUiIntents } from '../../lib/ui-intents';
import { startVad, type VadClient } from '../../lib/audio/vad-client';
import { rms } from '../../lib/audio/resampler';
import { modelKey, needsRestart } from './engine-model';
import { SpeechGate } from './speech-gate';
import { VoiceActivityDetector } from './voice-activity';
import { runVoiceAction } from './voice-actions';
import { availableCommands, type VoiceContext } from './voice-commands';
import { VoiceController, type GrammarMode, type VoiceHistoryDraft } from './voice-controller';
import { buildGrammar, type Grammar } from './voice-grammar';
import { SpeechEngineError, VoskEngine, type EngineStats } from './vosk-engine';

export interface VoiceLastAction {
  text: string;
  command: string | null;
  ok: boolean;
  message: string;
  values?: Record<string, string>;
  at: number;
  /** Audio time (ms of microphone input since listening began) when it was done. */
  audioMs: number;
}

export interface VoiceRuntime {
  indicator: VoiceIndicatorState;
  phase: 'off' | 'loading' | 'ready' | 'error';
  error: string | null;
  grammar: Grammar | null;
  grammarMode: GrammarMode;
  available: string[];
  last: VoiceLastAction | null;
  canUndo: boolean;
  stats: EngineStats | null;
  inputRate: number | null;
  /** Audio time (ms since listening began) of the last utterance's start and end of speech. */
  speech: { startMs: number; endMs: number | null } | null;
  /** Why the voice-activity detector is not running (the recognizer's own pauses end speech). */
  vadError: string | null;
  /** Words the running model has reported, and how many of them with a confidence of ~1. */
  confidence: WordConfidence | null;
  /** Bumped on every history change, for the Voice screen to reload it. */
  historyVersion: number;
}

let runtime: VoiceRuntime = {
  indicator: 'off',
  phase: 'off',
  error: null,
  grammar: null,
  grammarMode: 'commands',
  available: [],
  last: null,
  canUndo: false,
  stats: null,
  inputRate: null,
  vadError: null,
  speech: null,
  confidence: null,
  historyVersion: 0,
};

export interface WordConfidence {
  words: number;
  certain: number;
}

/** Enough words to judge a model's confidences by. */
export const CONFIDENCE_SAMPLE = 20;

/**
 * A model whose every word comes with a confidence of ~1 (many small models with a grammar do
 * this) gives sensitivity nothing to work with: Settings says so instead of offering a slider.
 */
export function confidencesUninformative(confidence: WordConfidence | null): boolean {
  return (
    !!confidence &&
    confidence.words >= CONFIDENCE_SAMPLE &&
    confidence.certain / confidence.words >= 0.98
  );
}

/** Kept per model across restarts, so Settings can say it before anything is said again. */
function confidenceKey(key: string): string {
  return `beseda.voice.confidence.${key}`;
}

function loadConfidence(key: string): WordConfidence {
  try {
    const saved = JSON.parse(localStorage.getItem(confidenceKey(key)) ?? 'null') as unknown;
    if (
      saved &&
      typeof saved === 'object' &&
      typeof (saved as WordConfidence).words === 'number' &&
      typeof (saved as WordConfidence).certain === 'number'
    )
      return saved as WordConfidence;
  } catch {
    // a damaged entry counts as none
  }
  return { words: 0, certain: 0 };
}

function countConfidences(key: string, words: Array<{ word: string; conf: number }>): void {
  const heard = words.filter((w) => w.word !== '[unk]');
  if (heard.length === 0) return;
  const before = runtime.confidence ?? { words: 0, certain: 0 };
  const confidence = {
    words: before.words + heard.length,
    certain: before.certain + heard.filter((w) => w.conf >= 0.99).length,
  };
  set({ confidence });
  try {
    localStorage.setItem(confidenceKey(key), JSON.stringify(confidence));
  } catch {
    // storage full or off: the count lasts this session
  }
}

/**
 * The microphone right now, for the Voice screen's meter: read every 50 ms instead of
 * re-rendering React 20 times a second.
 */
export interface VoiceMeter {
  /** RMS level of the last frame, 0..1. */
  level: number;
  /** The detector's speech probability for the last 32 ms, 0..1 (null without a detector). */
  probability: number | null;
  /** Speech is being heard (an utterance is open). */
  speech: boolean;
}
const meter: VoiceMeter = { level: 0, probability: null, speech: false };
export function voiceMeter(): Readonly<VoiceMeter> {
  return meter;
}
const listeners = new Set<() => void>();

function set(patch: Partial<VoiceRuntime>): void {
  runtime = { ...runtime, ...patch };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The runtime, or one part of it: a component that reads a part re-renders only when that part
 * changes (the statistics change twice a second, the state a few times per command).
 */
export function useVoiceRuntime(): VoiceRuntime;
export function useVoiceRuntime<T>(select: (runtime: VoiceRuntime) => T): T;
export function useVoiceRuntime<T>(select?: (runtime: VoiceRuntime) => T): T | VoiceRuntime {
  return useSyncExternalStore(subscribe, () => (select ? select(runtime) : runtime));
}

interface Running {
  settings: VoiceSettings;
  engine: VoskEngine;
  capture: SpeechCapture | null;
  vad: VadClient | null;
  /** Passes only speech on to the engine, or everything while push-to-talk is held. */
  gate: SpeechGate;
  /** Frames and samples from the microphone (the recognizer hears only the speech in them). */
  captured: { frames: number; samples: number };
  controller: VoiceController;
  vocabulary: Set<string>;
  /** Which installed model the engine was loaded from: word confidences are counted per model. */
  modelKey: string;
  dispose: Array<() => void>;
}

/** The history keeps what was heard and why; a message's values are for the screen only. */
function withoutValues({ values: _values, ...entry }: VoiceHistoryDraft) {
  return entry;
}

let running: Running | null = null;
/** The model of the running engine or of the start under way (see engine-model.ts). */
let engineModel: string | null = null;
let starting: Promise<void> | null = null;
let current: VoiceSettings | null = null;
let windowVisible = true;
let roomNames: string[] = [];

function voiceContext(): VoiceContext {
  const call = getCallState();
  const snapshot = call.snapshot;
  const incoming =
    !!snapshot &&
    ringingCalls(snapshot.active, snapshot.me, {
      inCall: !!snapshot.current,
      declined: snapshot.declined,
      now: Date.now(),
    }).length > 0;
  return {
    screen: location.hash.replace(/^#\/?/, '') || 'chats',
    inCall: call.call !== null,
    incomingCall: incoming,
    muted: !call.audioOn,
    cameraOn: call.videoOn,
    sharing: call.screen !== null,
    recording: call.recordingHere || Boolean(call.call?.recording),
    dictating: running?.controller.isDictating() ?? false,
    windowVisible,
    names: roomNames,
  };
}

/** Rebuilds the recognizer's word list when the context changes it. */
function refreshGrammar(): void {
  if (!running) return;
  const context = voiceContext();
  const grammar = buildGrammar({
    language: running.settings.language,
    context,
    wakePhrases: running.settings.wakePhrases[running.settings.language],
    vocabulary: running.vocabulary.size ? running.vocabulary : null,
  });
  if (runtime.grammarMode === 'commands') running.engine.setGrammar(grammar.words);
  set({ grammar, available: availableCommands(context).map((c) => c.id) });
}

function cue(kind: 'wake' | 'done' | 'error'): void {
  if (!current?.soundCues) return;
  playTones({ wake: [880, 1320], done: [660, 990], error: [330, 220] }[kind]);
}

function speak(text: string, language: 'en' | 'ru'): Promise<void> {
  if (!('speechSynthesis' in window)) return Promise.resolve();
  return new Promise((resolve) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = language === 'ru' ? 'ru-RU' : 'en-US';
    utterance.volume = getUiIntents().outputVolume;
    const timer = setTimeout(resolve, 15_000);
    utterance.onend = utterance.onerror = () => {
      clearTimeout(timer);
      resolve();
    };
    speechSynthesis.speak(utterance);
  });
}

function indicator(state: VoiceIndicatorState): void {
  set({ indicator: state });
  void call('voice.indicator', { state }).catch(() => undefined);
}

async function start(settings: VoiceSettings): Promise<void> {
  set({ phase: 'loading', error: null });
  const models = await call('voice.models.status', undefined);
  const model = models.find((m) => m.language === settings.language);
  if (!model || model.state !== 'ready' || !model.url) {
    throw new SpeechEngineError(
      'model_unavailable',
      model?.error ?? 'There is no speech model for this language yet. Import or download one.',
    );
  }
  engineModel = modelKey(model);
  const activity = new VoiceActivityDetector();
  const engine = await VoskEngine.load(model.url, {
    result: (utterance) => {
      if (!running) return;
      countConfidences(running.modelKey, utterance.words);
      void running.controller.utterance(utterance);
    },
    partial: (text) => {
      if (!running) return;
      running.controller.partial(text);
      // A whole command ends at a short pause; its start may go on after a longer one.
      activity.setComplete(running.controller.canEndSoon(text));
    },
    error: (error) => set({ phase: 'error', error: error.message }),
  });
  const vocabulary = new Set(
    await call('voice.models.vocabulary', { language: settings.language }).catch(() => []),
  );
  const record = (entry: VoiceHistoryDraft) => {
    set({
      last: {
        text: entry.text,
        command: entry.command,
        ok: entry.outcome === 'done',
        message: entry.detail === 'ambiguous' ? 'didYouMean' : entry.detail,
        ...(entry.values ? { values: entry.values } : {}),
        at: entry.at,
        audioMs: ((running?.captured.samples ?? 0) / engine.stats.sampleRate) * 1000,
      },
      canUndo: controller.canUndo(),
    });
    if (entry.command && entry.category)
      track('voice.command', {
        command: entry.command,
        category: entry.category,
        outcome: entry.outcome,
      });
    void call('voice.history.add', { ...withoutValues(entry), language: settings.language })
      .then(() => set({ historyVersion: runtime.historyVersion + 1 }))
      .catch(() => undefined);
  };
  const controller = new VoiceController(
    {
      now: () => Date.now(),
      setTimer: (run, ms) => setTimeout(run, ms),
      clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
      context: voiceContext,
      run: (id, args) =>
        runVoiceAction(id, args, {
          stopListening: () =>
            void call('settings.update', { voice: { enabled: false } }).catch(() => undefined),
          speak: (text) => speak(text, settings.language),
        }),
      dictate,
      record,
      onState: (state) => indicator(state),
      onGrammarMode: (mode) => {
        set({ grammarMode: mode });
        if (mode === 'free') running?.engine.setGrammar(null);
        else refreshGrammar();
      },
      cue,
    },
    {
      language: settings.language,
      wakePhrases: settings.wakePhrases[settings.language],
      sensitivity: settings.sensitivity,
    },
  );
  const dispose: Array<() => void> = [];
  // Only speech goes on to the recognizer; see speech-gate.ts.
  const gate = new SpeechGate(activity, {
    accept: (samples) => engine.accept(samples, rms(samples)),
    flush: () => engine.flush(),
  });
  running = {
    settings,
    engine,
    capture: null,
    vad: null,
    gate,
    captured: { frames: 0, samples: 0 },
    controller,
    vocabulary,
    modelKey: modelKey(model),
    dispose,
  };
  set({ confidence: loadConfidence(running.modelKey) });
  refreshGrammar();
  const self = running;
  // Without the detector, voice control still works: all audio goes to the recognizer, which
  // ends utterances at its own, longer, pauses.
  try {
    self.vad = await startVad(
      (probabilities) => {
        for (const event of gate.probabilities(probabilities)) {
          if (event.kind === 'start') set({ speech: { startMs: event.atMs, endMs: null } });
          else
            set({ speech: { startMs: runtime.speech?.startMs ?? event.atMs, endMs: event.atMs } });
        }
        meter.probability = activity.probability;
        meter.speech = activity.inSpeech;
      },
      (message) => {
        // From now on all audio goes to the recognizer, as if the detector had never started;
        // what waited for the detector goes first.
        gate.release();
        self.vad = null;
        meter.probability = null;
        meter.speech = false;
        set({ vadError: message });
      },
    );
    set({ vadError: null });
  } catch (error) {
    set({ vadError: (error as Error).message });
  }
  if (running !== self) {
    self.vad?.dispose();
    return;
  }
  try {
    running.capture = await startSpeechCapture(settings.microphoneId, (frame) => {
      self.captured.frames++;
      self.captured.samples += frame.samples.length;
      meter.level = frame.level;
      if (self.vad) {
        gate.audio(frame.samples);
        self.vad.push(frame.samples);
      } else engine.accept(frame.samples, frame.level);
    });
  } catch (error) {
    throw new SpeechEngineError(
      'engine_failed',
      `The microphone cannot be used: ${(error as Error).message}`,
    );
  }
  const counted = running.captured;
  const statsTimer = setInterval(() => set({ stats: { ...engine.stats, ...counted } }), 500);
  dispose.push(() => clearInterval(statsTimer));
  dispose.push(subscribeCallState(() => refreshGrammar()));
  const onHash = () => refreshGrammar();
  window.addEventListener('hashchange', onHash);
  dispose.push(() => window.removeEventListener('hashchange', onHash));
  set({ phase: 'ready', inputRate: running.capture.inputRate });
  indicator('idle');
}

function stop(): void {
  const was = running;
  running = null;
  engineModel = null;
  if (!was) return;
  for (const undo of was.dispose) undo();
  was.controller.dispose();
  was.capture?.stop();
  was.vad?.dispose();
  was.engine.dispose();
  meter.level = 0;
  meter.probability = null;
  meter.speech = false;
}

/** Applies the voice settings: (re)starts, or stops and releases everything. */
function apply(settings: VoiceSettings): void {
  const before = current;
  current = settings;
  const same = before && JSON.stringify(before) === JSON.stringify(settings);
  if (same && (running || starting)) return;
  const chain: Promise<void> = (starting ?? Promise.resolve()).then(async () => {
    stop();
    if (!settings.enabled) {
      set({ phase: 'off', error: null, grammar: null, available: [], stats: null });
      indicator('off');
      return;
    }
    try {
      await start(settings);
    } catch (error) {
      stop();
      set({ phase: 'error', error: (error as Error).message, stats: null });
      indicator('off');
    }
  });
  starting = chain;
  void chain.finally(() => {
    if (starting === chain) starting = null;
  });
}

/**
 * Push-to-talk, the tray, the hotkeys: listen for one command without the wake phrase. With
 * `hold`, until releaseTalk() (the key let go), else for the usual listening window.
 */
export function listenNow(options: { hold?: boolean } = {}): boolean {
  if (!running) return false;
  // Held, the key says it is speech: all of it goes to the recognizer, not only what the
  // detector judges to be speech.
  if (options.hold) running.gate.open(true);
  running.controller.listenNow(options);
  return true;
}

/** The push-to-talk key was let go: end the utterance now instead of waiting for a pause. */
export function releaseTalk(): void {
  if (!running) return;
  running.gate.open(false);
  running.engine.flush();
  running.controller.releaseTalk();
}

export async function undoLastVoiceAction(): Promise<void> {
  if (!running) return;
  await running.controller.undoFromButton();
  set({ canUndo: running.controller.canUndo() });
}

export async function setVoiceEnabled(enabled: boolean): Promise<Settings> {
  return call('settings.update', { voice: { enabled } });
}

export function startVoiceSession(): () => void {
  const offs = [
    onEvent('settings.changed', (settings) => apply(settings.voice)),
    onEvent('rooms.changed', (rooms) => {
      roomNames = rooms.map((r) => r.name);
      refreshGrammar();
    }),
    onEvent('window.changed', (status) => {
      windowVisible = status.visible;
      refreshGrammar();
    }),
    onEvent('voice.models.changed', (models) => {
      // A model imported or downloaded while voice is on and waiting for one: try again. Another
      // model replacing the one the engine runs or is loading: load that one (or say why it
      // cannot be used).
      const restart = needsRestart({
        enabled: current?.enabled ?? false,
        failed: runtime.phase === 'error',
        engineModel,
        model: models.find((m) => m.language === current?.language),
      });
      if (restart && current) {
        const settings = current;
        current = null;
        apply(settings);
      }
    }),
    onEvent('voice.hotkey', ({ action, hold }) => {
      if (action === 'toggleListening') void setVoiceEnabled(!current?.enabled);
      else if (action === 'pushToTalk') listenNow({ hold });
      else if (action === 'pushToTalkRelease') releaseTalk();
      else if (action === 'muteMicrophone' && getCallState().call) toggleMute();
    }),
  ];
  void call('rooms.list', undefined)
    .then((rooms) => (roomNames = rooms.map((r) => r.name)))
    .catch(() => undefined);
  void call('settings.get', undefined)
    .then((settings) => apply(settings.voice))
    .catch(() => undefined);
  return () => {
    for (const off of offs) off();
    stop();
  };
}
