/**
 * The page side of bench/voice.mjs: the app's own voice modules (engine, resampler, end of
 * speech, grammar, controller) fed from labelled WAV files instead of a microphone. The WAV is
 * decoded at its own rate and resampled to 16 kHz by the same StreamingResampler the capture
 * worklet uses, in the worklet's 128-sample quanta, then framed in 50 ms frames.
 */
import { EndOfSpeechDetector } from './energy-end-of-speech';
import type { Utterance } from '../../src-renderer/features/voice/recognition';
import {
  VoiceController,
  type ActionOutcome,
} from '../../src-renderer/features/voice/voice-controller';
import { IDLE_CONTEXT, type VoiceContext } from '../../src-renderer/features/voice/voice-commands';
import { buildGrammar } from '../../src-renderer/features/voice/voice-grammar';
import { SAMPLE_RATE, VoskEngine } from '../../src-renderer/features/voice/vosk-engine';
import { rms, StreamingResampler } from '../../src-renderer/lib/audio/resampler';

const FRAME = 800;
const FRAME_MS = (FRAME / SAMPLE_RATE) * 1000;
/** The level EndOfSpeechDetector calls speech (its default). */
const SPEECH_LEVEL = 0.015;

export interface BenchItem {
  file: string;
  kind: 'wake' | 'command' | 'speech' | 'oog';
  text: string;
  command?: string;
  context?: Partial<VoiceContext>;
}

export interface ItemResult {
  file: string;
  audioMs: number;
  /** What the recognizer returned, utterance by utterance. */
  utterances: Utterance[];
  woke: boolean;
  commands: string[];
  rejected: number;
  /** How much of the file is speech (frames above the speech level), ms. */
  speechMs: number;
  /** From the end of the last speech frame to the command's action, ms. */
  latencyMs: number | null;
}

interface Setup {
  language: 'en' | 'ru';
  wakePhrases: string[];
  sensitivity: number;
  vocabulary: string[];
}

let engine: VoskEngine | null = null;
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

function controllerFor(
  context: VoiceContext,
  sensitivity: number,
  seen: { woke: boolean; commands: string[]; commandAt: number[]; rejected: number },
): VoiceController {
  const ok: ActionOutcome = { ok: true, message: 'bench' };
  return new VoiceController(
    {
      now: () => Date.now(),
      setTimer: (run, ms) => setTimeout(run, ms),
      clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
      context: () => context,
      run: async () => ok,
      dictate: () => undefined,
      // Every command that ran is recorded (undo too, which never reaches run()).
      record: (entry) => {
        if (entry.outcome === 'rejected') seen.rejected++;
        else if (entry.command) {
          seen.woke = true;
          seen.commands.push(entry.command);
          seen.commandAt.push(performance.now());
        }
      },
      // A wake is the cue (a partial result's brief `listening` is not; the utterance decides).
      onState: () => undefined,
      onGrammarMode: () => undefined,
      cue: (kind) => {
        if (kind === 'wake') seen.woke = true;
      },
    },
    { language: setup.language, wakePhrases: setup.wakePhrases, sensitivity },
  );
}

const bench = {
  async load(modelUrl: string, options: Setup): Promise<{ loadMs: number }> {
    setup = options;
    const started = performance.now();
    engine = await VoskEngine.load(modelUrl, {
      result: (u) => onUtterance(u),
      partial: (text) => onPartial(text),
      error: (error) => console.error(error.message),
    });
    return { loadMs: performance.now() - started };
  },

  /** One file at real-time pace, as a microphone would deliver it. */
  async live(item: BenchItem): Promise<ItemResult> {
    const context = { ...IDLE_CONTEXT, ...item.context };
    engine!.setGrammar(grammarFor(context));
    const { frames: list, audioMs } = await frames(item.file);
    const seen = { woke: false, commands: [] as string[], commandAt: [] as number[], rejected: 0 };
    const utterances: Utterance[] = [];
    const controller = controllerFor(context, setup.sensitivity, seen);
    onUtterance = (u) => {
      utterances.push(u);
      void controller.utterance(u);
    };
    onPartial = (text) => controller.partial(text);
    const endOfSpeech = new EndOfSpeechDetector();
    let lastSpeechAt: number | null = null;
    let speechMs = 0;
    const started = performance.now();
    for (let i = 0; i < list.length; i++) {
      const due = started + i * FRAME_MS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const level = rms(list[i]!);
      // The frame is what the worklet would post the moment its last sample was heard.
      if (level >= SPEECH_LEVEL) {
        lastSpeechAt = performance.now();
        speechMs += FRAME_MS;
      }
      engine!.accept(list[i]!, level);
      if (endOfSpeech.push(level, FRAME_MS)) engine!.flush();
    }
    engine!.flush();
    await engine!.settled();
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.dispose();
    onUtterance = () => undefined;
    onPartial = () => undefined;
    const commandAt = seen.commandAt[0];
    return {
      file: item.file,
      audioMs,
      utterances,
      woke: seen.woke,
      commands: seen.commands,
      rejected: seen.rejected,
      speechMs,
      latencyMs: commandAt !== undefined && lastSpeechAt !== null ? commandAt - lastSpeechAt : null,
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

  /** The utterances of a live run through a controller at another sensitivity. */
  async replay(
    item: BenchItem,
    utterances: Utterance[],
    sensitivity: number,
  ): Promise<{ woke: boolean; commands: string[] }> {
    const context = { ...IDLE_CONTEXT, ...item.context };
    const seen = { woke: false, commands: [] as string[], commandAt: [] as number[], rejected: 0 };
    const controller = controllerFor(context, sensitivity, seen);
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
