/**
 * The page side of bench/voice.mjs: the app's own voice modules (engine, resampler, voice
 * activity, grammar, controller) fed from labelled WAV files instead of a microphone, with one of
 * two end-of-speech rules: `vad` (Silero VAD and VoiceActivityDetector, as the app runs now) or
 * `energy` (the fixed level the app used before, the baseline).
 *
 * With `vad`, only speech reaches the recognizer (SpeechGate), as in the app.
 *
 * Files are fed frame by frame as fast as the recognizer answers, each frame waiting for the one
 * before it, so a run is faster than real time yet hears exactly what a microphone would
 * deliver. Time is audio time: the controller's timers run on it, and the delay from the end of
 * speech to a command is the audio between them plus the wall time the deciding frame took
 * (detector, recognizer's final result, controller), what real time would add.
 */
import * as ort from 'onnxruntime-web/wasm';
import { EndOfSpeechDetector } from './energy-end-of-speech';
import { ExactMatcher, WakeAnywhere } from './rules-before';
import { commandConfidence } from '../../src-renderer/features/voice/command-matcher';
import type { Utterance } from '../../src-renderer/features/voice/recognition';
import { VoiceActivityDetector } from '../../src-renderer/features/voice/voice-activity';
import { SpeechGate } from '../../src-renderer/features/voice/speech-gate';
import {
  VoiceController,
  type ActionOutcome,
} from '../../src-renderer/features/voice/voice-controller';
import { IDLE_CONTEXT, type VoiceContext } from '../../src-renderer/features/voice/voice-commands';
import { buildGrammar } from '../../src-renderer/features/voice/voice-grammar';
import { SAMPLE_RATE, VoskEngine } from '../../src-renderer/features/voice/vosk-engine';
import { rms, StreamingResampler } from '../../src-renderer/lib/audio/resampler';
import { SileroVad } from '../../src-renderer/lib/audio/silero-vad';

const FRAME = 800;
const FRAME_MS = (FRAME / SAMPLE_RATE) * 1000;

export type Detector = 'vad' | 'energy';
/** The wake and matching rules: the app's, or those it had before (rules-before.ts). */
export type Rules = 'today' | 'before';

export interface BenchItem {
  file: string;
  kind: 'wake' | 'command' | 'speech' | 'oog';
  text: string;
  command?: string;
  context?: Partial<VoiceContext>;
  /** clean, pink-10, brown-20, gain-12 …: what was done to the speech. */
  condition?: string;
  /** Where the speech is in the file, when known. */
  speechStartMs?: number;
  speechEndMs?: number;
}

export interface ItemResult {
  audioMs: number;
  /** What the recognizer returned, utterance by utterance. */
  utterances: Utterance[];
  woke: boolean;
  commands: string[];
  rejected: number;
  /** End of speech → the first command, in real-time terms (see above); null without either. */
  latencyMs: number | null;
}

interface Setup {
  language: 'en' | 'ru';
  wakePhrases: string[];
  sensitivity: number;
  vocabulary: string[];
}

let engine: VoskEngine | null = null;
let silero: SileroVad | null = null;
let setup: Setup;
let onUtterance: (u: Utterance) => void = () => undefined;
let onPartial: (text: string) => void = () => undefined;

async function frames(file: string): Promise<{ frames: Float32Array[]; audioMs: number }> {
  const bytes = await (await fetch(`/wav/${encodeURIComponent(file)}`)).arrayBuffer();
  // A context at the file's own rate keeps decodeAudioData from resampling: ours does.
  const rate = new DataView(bytes).getUint32(24, true);
  const audio = await new OfflineAudioContext(1, 1, rate).decodeAudioData(bytes);
  const input = audio.getChannelData(0);
  const resampler = new StreamingResampler(rate, SAMPLE_RATE);
  const parts: Float32Array[] = [];
  for (let i = 0; i < input.length; i += 128)
    parts.push(resampler.push(input.subarray(i, i + 128)));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Float32Array(total);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  const list: Float32Array[] = [];
  for (let i = 0; i + FRAME <= all.length; i += FRAME) list.push(all.slice(i, i + FRAME));
  return { frames: list, audioMs: (all.length / SAMPLE_RATE) * 1000 };
}

function grammarFor(context: VoiceContext): string[] {
  return buildGrammar({
    language: setup.language,
    context,
    wakePhrases: setup.wakePhrases,
    vocabulary: setup.vocabulary.length ? new Set(setup.vocabulary) : null,
  }).words;
}

/** Timers on audio time: a listening window lasts as much audio as it would in real time. */
class AudioClock {
  now = 0;
  private timers: Array<{ at: number; run: () => void }> = [];
  set(run: () => void, ms: number): unknown {
    const timer = { at: this.now + ms, run };
    this.timers.push(timer);
    return timer;
  }
  clear(timer: unknown): void {
    this.timers = this.timers.filter((t) => t !== timer);
  }
  advance(to: number): void {
    this.now = to;
    for (const timer of this.timers.filter((t) => t.at <= to)) {
      this.clear(timer);
      timer.run();
    }
  }
}

interface Seen {
  woke: boolean;
  commands: string[];
  /** For each command: audio time and the wall time since its frame was handed over. */
  commandAt: Array<{ audioMs: number; wallMs: number }>;
  rejected: number;
}

function controllerFor(
  context: VoiceContext,
  sensitivity: number,
  seen: Seen,
  clock: AudioClock,
  frameStarted: () => number,
  rules: Rules = 'today',
): VoiceController {
  const ok: ActionOutcome = { ok: true, message: 'bench' };
  return new VoiceController(
    {
      now: () => clock.now,
      setTimer: (run, ms) => clock.set(run, ms),
      clearTimer: (timer) => clock.clear(timer),
      context: () => context,
      run: async () => ok,
      dictate: () => undefined,
      // Every command that ran is recorded (undo too, which never reaches run()).
      record: (entry) => {
        if (entry.outcome === 'rejected') seen.rejected++;
        else if (entry.command) {
          seen.woke = true;
          seen.commands.push(entry.command);
          seen.commandAt.push({ audioMs: clock.now, wallMs: performance.now() - frameStarted() });
        }
      },
      // A wake is the cue (a partial result's brief `listening` is not; the utterance decides).
      onState: () => undefined,
      onGrammarMode: () => undefined,
      cue: (kind) => {
        if (kind === 'wake') seen.woke = true;
      },
    },
    {
      language: setup.language,
      wakePhrases: setup.wakePhrases,
      sensitivity,
      ...(rules === 'before'
        ? {
            rules: {
              wake: new WakeAnywhere(setup.wakePhrases, sensitivity),
              matcher: new ExactMatcher(setup.language, commandConfidence(sensitivity)),
            },
          }
        : {}),
    },
  );
}

/** Lets the controller finish what a result started (its awaits) before the next frame. */
const yieldTask = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });

const bench = {
  async load(
    modelUrl: string,
    options: Setup,
    vad: { model: string; wasm: string },
  ): Promise<{ loadMs: number }> {
    setup = options;
    const started = performance.now();
    engine = await VoskEngine.load(modelUrl, {
      result: (u) => onUtterance(u),
      partial: (text) => onPartial(text),
      error: (error) => console.error(error.message),
    });
    if (!silero) {
      ort.env.wasm.wasmPaths = { wasm: vad.wasm };
      silero = await SileroVad.load(ort, await (await fetch(vad.model)).arrayBuffer());
    }
    return { loadMs: performance.now() - started };
  },

  async run(item: BenchItem, detector: Detector): Promise<ItemResult> {
    const context = { ...IDLE_CONTEXT, ...item.context };
    engine!.setGrammar(grammarFor(context));
    const { frames: list, audioMs } = await frames(item.file);
    const seen: Seen = { woke: false, commands: [], commandAt: [], rejected: 0 };
    const utterances: Utterance[] = [];
    const clock = new AudioClock();
    let frameStarted = 0;
    const controller = controllerFor(context, setup.sensitivity, seen, clock, () => frameStarted);
    const activity = new VoiceActivityDetector();
    const gate = new SpeechGate(activity, {
      accept: (samples) => engine!.accept(samples, rms(samples)),
      flush: () => engine!.flush(),
    });
    const energy = new EndOfSpeechDetector();
    silero!.reset();
    let results = 0;
    onUtterance = (u) => {
      results++;
      utterances.push(u);
      void controller.utterance(u);
    };
    onPartial = (text) => {
      controller.partial(text);
      activity.setComplete(controller.canEndSoon(text));
    };
    for (let i = 0; i < list.length; i++) {
      const frame = list[i]!;
      frameStarted = performance.now();
      // The frame is what the worklet posts the moment its last sample was heard.
      clock.advance((i + 1) * FRAME_MS);
      const level = rms(frame);
      if (detector === 'vad') {
        // As the app does: only what the detector calls speech reaches the recognizer.
        gate.audio(frame);
        gate.probabilities(await silero!.push(frame));
      } else {
        engine!.accept(frame, level);
        if (energy.push(level, FRAME_MS)) engine!.flush();
      }
      const before = results;
      await engine!.settled();
      if (results !== before) await yieldTask();
    }
    // The file ends: whatever is still open is ended (a microphone would go on with silence).
    frameStarted = performance.now();
    engine!.flush();
    await engine!.settled();
    await yieldTask();
    controller.dispose();
    onUtterance = () => undefined;
    onPartial = () => undefined;
    const first = seen.commandAt[0];
    return {
      audioMs,
      utterances,
      woke: seen.woke,
      commands: seen.commands,
      rejected: seen.rejected,
      latencyMs:
        first && item.speechEndMs !== undefined
          ? first.audioMs - item.speechEndMs + first.wallMs
          : null,
    };
  },

  /** All files back to back as fast as the worker takes them: the real-time factor. */
  async throughput(files: string[]): Promise<{ audioMs: number; processMs: number }> {
    engine!.setGrammar(grammarFor(IDLE_CONTEXT));
    const all: Float32Array[] = [];
    let audioMs = 0;
    for (const file of files) {
      const decoded = await frames(file);
      all.push(...decoded.frames);
      audioMs += decoded.audioMs;
    }
    await engine!.settled();
    const started = performance.now();
    for (const frame of all) engine!.accept(frame, rms(frame));
    engine!.flush();
    await engine!.settled();
    return { audioMs, processMs: performance.now() - started };
  },

  /** The voice detector alone over the same audio: its share of a frame's time. */
  async vadThroughput(files: string[]): Promise<{ audioMs: number; processMs: number }> {
    let audioMs = 0;
    let processMs = 0;
    for (const file of files) {
      const decoded = await frames(file);
      audioMs += decoded.audioMs;
      silero!.reset();
      const started = performance.now();
      for (const frame of decoded.frames) await silero!.push(frame);
      processMs += performance.now() - started;
    }
    return { audioMs, processMs };
  },

  /** The utterances of a run through a controller at another sensitivity or with other rules. */
  async replay(
    item: BenchItem,
    utterances: Utterance[],
    sensitivity: number,
    rules: Rules = 'today',
  ): Promise<{ woke: boolean; commands: string[] }> {
    const context = { ...IDLE_CONTEXT, ...item.context };
    const seen: Seen = { woke: false, commands: [], commandAt: [], rejected: 0 };
    const controller = controllerFor(context, sensitivity, seen, new AudioClock(), () => 0, rules);
    for (const u of utterances) await controller.utterance(u);
    controller.dispose();
    return { woke: seen.woke, commands: seen.commands };
  },

  dispose(): void {
    engine?.dispose();
    engine = null;
  },
};

(window as unknown as { bench: typeof bench }).bench = bench;
