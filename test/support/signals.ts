/**
 * Generated test audio at 16 kHz, no recordings: speech-like bursts (a glottal pulse train with
 * vibrato through three vowel formants, in 180 ms syllables), pink and brown noise, mixing at a
 * given signal-to-noise ratio or gain, and 16-bit WAV files. Seeded, so every run hears the same
 * signal. The voice bench makes its noisy variants with these too.
 */
import fs from 'node:fs';

export const RATE = 16000;

function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

const VOWELS = [
  [730, 1090, 2440],
  [270, 2290, 3010],
  [530, 1840, 2480],
  [570, 840, 2410],
  [300, 870, 2240],
];

/** `seconds` of voiced, syllable-shaped sound peaking at 0.5. */
export function speechBurst(seconds: number, seed = 3): Float32Array {
  const n = Math.round(seconds * RATE);
  const out = new Float32Array(n);
  const next = random(seed);
  const syllable = 0.18;
  const state = VOWELS.map(() => [0, 0]);
  let vowel = VOWELS[0]!;
  let current = -1;
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const k = Math.floor(t / syllable);
    if (k !== current) {
      current = k;
      vowel = VOWELS[Math.floor(next() * VOWELS.length)]!;
    }
    phase += (120 + 15 * Math.sin(2 * Math.PI * 3 * t) + (k % 3) * 10) / RATE;
    let excitation = (next() - 0.5) * 0.02;
    if (phase >= 1) {
      phase -= 1;
      excitation += 1;
    }
    const envelope = Math.sin(Math.PI * ((t % syllable) / syllable)) ** 0.7;
    let sum = 0;
    vowel.forEach((formant, j) => {
      const r = Math.exp((-Math.PI * (80 + 40 * j)) / RATE);
      const y =
        excitation +
        2 * r * Math.cos((2 * Math.PI * formant) / RATE) * state[j]![0]! -
        r * r * state[j]![1]!;
      state[j]![1] = state[j]![0]!;
      state[j]![0] = y;
      sum += y / (j + 1);
    });
    out[i] = sum * envelope;
  }
  const peak = out.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  for (let i = 0; i < n; i++) out[i]! *= 0.5 / peak;
  return out;
}

/** Pink (1/f) noise, Paul Kellet's filter over white noise. */
export function pinkNoise(samples: number, seed = 7): Float32Array {
  const next = random(seed);
  const b = [0, 0, 0, 0, 0, 0, 0];
  const out = new Float32Array(samples);
  for (let i = 0; i < samples; i++) {
    const w = next() * 2 - 1;
    b[0] = 0.99886 * b[0]! + w * 0.0555179;
    b[1] = 0.99332 * b[1]! + w * 0.0750759;
    b[2] = 0.969 * b[2]! + w * 0.153852;
    b[3] = 0.8665 * b[3]! + w * 0.3104856;
    b[4] = 0.55 * b[4]! + w * 0.5329522;
    b[5] = -0.7616 * b[5]! - w * 0.016898;
    out[i] = (b[0]! + b[1]! + b[2]! + b[3]! + b[4]! + b[5]! + b[6]! + w * 0.5362) * 0.11;
    b[6] = w * 0.115926;
  }
  return out;
}

/** Brown (1/f²) noise: leaky integrated white noise, a distant road or a rumbling fan. */
export function brownNoise(samples: number, seed = 11): Float32Array {
  const next = random(seed);
  const out = new Float32Array(samples);
  let last = 0;
  for (let i = 0; i < samples; i++) {
    last = 0.998 * last + (next() * 2 - 1) * 0.05;
    out[i] = last;
  }
  return out;
}

export const silence = (seconds: number): Float32Array =>
  new Float32Array(Math.round(seconds * RATE));

export function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function rms(samples: Float32Array): number {
  let sum = 0;
  for (const x of samples) sum += x * x;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

export const gain = (samples: Float32Array, db: number): Float32Array =>
  samples.map((x) => x * 10 ** (db / 20));

/** `noise` added under `speech` so that the speech's level (where it is voiced) is `snrDb` above. */
export function mixAtSnr(speech: Float32Array, noise: Float32Array, snrDb: number): Float32Array {
  const voiced = speech.filter((x) => Math.abs(x) > 0.01);
  const scale = rms(voiced) / rms(noise) / 10 ** (snrDb / 20);
  return speech.map((x, i) => x + noise[i % noise.length]! * scale);
}

/** The samples of a 16-bit PCM WAV, in [-1, 1]. */
export function readPcm16(file: string): Float32Array {
  const bytes = fs.readFileSync(file);
  let at = 12;
  while (at + 8 <= bytes.length && bytes.toString('ascii', at, at + 4) !== 'data')
    at += 8 + bytes.readUInt32LE(at + 4);
  const start = at + 8;
  const count = Math.floor((bytes.length - start) / 2);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = bytes.readInt16LE(start + 2 * i) / 32768;
  return out;
}

export function writePcm16(file: string, samples: Float32Array, rate: number): void {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((x, i) =>
    data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, x)) * 32767), 2 * i),
  );
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  fs.writeFileSync(file, Buffer.concat([header, data]));
}
