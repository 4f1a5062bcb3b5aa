/**
 * Spoken fixtures made at test time with Debian's espeak-ng and sox (nothing recorded is
 * committed): mono 16-bit WAV at the rate a microphone would deliver, with silence around.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { concat, mixAtSnr, pinkNoise, RATE, readPcm16, silence, writePcm16 } from './signals';

export function speechWav(
  dir: string,
  name: string,
  text: string,
  options: {
    voice?: string;
    /** Words per minute. */
    wpm?: number;
    /** The WAV's sample rate. */
    rate?: number;
    padBefore?: number;
    padAfter?: number;
  } = {},
): string {
  const raw = path.join(dir, `${name}.raw.wav`);
  const out = path.join(dir, `${name}.wav`);
  execFileSync('espeak-ng', [
    '-v',
    options.voice ?? 'en',
    '-s',
    String(options.wpm ?? 140),
    '-w',
    raw,
    text,
  ]);
  // -G: guard against clipping in the rate conversion (espeak speaks at full scale).
  execFileSync('sox', [
    '-G',
    raw,
    '-r',
    String(options.rate ?? 48000),
    '-c',
    '1',
    '-b',
    '16',
    out,
    'pad',
    String(options.padBefore ?? 0.5),
    String(options.padAfter ?? 1.5),
  ]);
  fs.rmSync(raw);
  return out;
}

export interface NoisySpeech {
  file: string;
  /** Where the speech starts and ends in the file, ms. */
  speechStartMs: number;
  speechEndMs: number;
}

/**
 * Speech as 16 kHz samples with `leadS` of silence before and `tailS` after, and where the
 * speech itself starts and ends in them (ms).
 */
export function spokenSignal(
  dir: string,
  text: string,
  options: { voice?: string; wpm?: number; leadS: number; tailS: number },
): { signal: Float32Array; speechStartMs: number; speechEndMs: number } {
  const file = speechWav(dir, 'spoken', text, {
    voice: options.voice,
    wpm: options.wpm,
    rate: RATE,
    padBefore: 0,
    padAfter: 0,
  });
  const speech = readPcm16(file);
  fs.rmSync(file);
  const loud = (x: number) => Math.abs(x) > 0.01;
  const first = Math.max(0, speech.findIndex(loud));
  let last = speech.length - 1;
  while (last > first && !loud(speech[last]!)) last--;
  const lead = Math.round(options.leadS * RATE);
  const at = (i: number) => ((lead + i) / RATE) * 1000;
  return {
    signal: concat(silence(lead / RATE), speech, silence(options.tailS)),
    speechStartMs: at(first),
    speechEndMs: at(last),
  };
}

/**
 * Speech with steady pink noise under it at `snrDb` (the speech's voiced level over the noise's),
 * noise alone for `leadS` before and `tailS` after: a microphone in a room with a fan.
 */
export function noisySpeechWav(
  dir: string,
  name: string,
  text: string,
  options: { snrDb: number; leadS?: number; tailS?: number; voice?: string },
): NoisySpeech {
  const spoken = spokenSignal(dir, text, {
    voice: options.voice,
    leadS: options.leadS ?? 1,
    tailS: options.tailS ?? 4,
  });
  const mixed = mixAtSnr(spoken.signal, pinkNoise(spoken.signal.length), options.snrDb);
  const file = path.join(dir, `${name}.wav`);
  writePcm16(file, mixed, RATE);
  return { file, speechStartMs: spoken.speechStartMs, speechEndMs: spoken.speechEndMs };
}
