/**
 * Spoken fixtures made at test time with Debian's espeak-ng and sox (nothing recorded is
 * committed): mono 16-bit WAV at the rate a microphone would deliver, with silence around.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

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
