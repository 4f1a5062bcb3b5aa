/**
 * Spoken fixtures made at test time with Debian's espeak-ng and sox (nothing recorded is
 * committed): mono 16-bit WAV at the rate a microphone would deliver, with silence around.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { concat, mixAtSnr, pinkNoise, RATE, readPcm16, silence, writePcm16 } from './signals';

export function speechWav(
  dir: string,
  name: string,
  text: string,
  options: { voice?: string; rate?: number; padBefore?: number; padAfter?: number } = {},
): string {
  const raw = path.join(dir, `${name}.raw.wav`);
  const out = path.join(dir, `${name}.wav`);
  execFileSync('espeak-ng', ['-v', options.voice ?? 'en', '-s', '140', '-w', raw, text]);
  execFileSync('sox', [
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
  return out;
}

export interface NoisySpeech {
  file: string;
  /** Where the speech starts and ends in the file, ms. */
  speechStartMs: number;
  speechEndMs: number;
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
  const clean = speechWav(dir, `${name}.clean`, text, {
    voice: options.voice,
    rate: RATE,
    padBefore: 0,
    padAfter: 0,
  });
  const speech = readPcm16(clean);
  const loud = (x: number) => Math.abs(x) > 0.01;
  const first = speech.findIndex(loud);
  let last = speech.length - 1;
  while (last > 0 && !loud(speech[last]!)) last--;
  const lead = Math.round((options.leadS ?? 1) * RATE);
  const signal = concat(silence(lead / RATE), speech, silence(options.tailS ?? 4));
  const mixed = mixAtSnr(signal, pinkNoise(signal.length), options.snrDb);
  const file = path.join(dir, `${name}.wav`);
  writePcm16(file, mixed, RATE);
  return {
    file,
    speechStartMs: ((lead + first) / RATE) * 1000,
    speechEndMs: ((lead + last) / RATE) * 1000,
  };
}
