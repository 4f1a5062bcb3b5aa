import { StreamingResampler, rms } from '../../src-renderer/lib/audio/resampler';
import { concat } from '../support/signals';

function tone(hz: number, rate: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = 0.5 * Math.sin((2 * Math.PI * hz * i) / rate);
  return out;
}

/** Feeds `input` in 128-sample render quanta, as an AudioWorklet does. */
function stream(resampler: StreamingResampler, input: Float32Array): Float32Array {
  const parts: Float32Array[] = [];
  for (let i = 0; i < input.length; i += 128)
    parts.push(resampler.push(input.subarray(i, i + 128)));
  return concat(...parts);
}

const crossings = (s: Float32Array) => {
  let n = 0;
  for (let i = 1; i < s.length; i++) if (s[i - 1]! < 0 !== s[i]! < 0) n++;
  return n;
};

describe('StreamingResampler', () => {
  it.each([48000, 44100])('turns %i Hz into 16 kHz with the same pitch and level', (rate) => {
    const out = stream(new StreamingResampler(rate, 16000), tone(440, rate, 1));
    expect(Math.abs(out.length - 16000)).toBeLessThan(64);
    const steady = out.subarray(200, out.length - 200);
    // 440 Hz: 880 zero crossings a second.
    expect(crossings(steady) / (steady.length / 16000)).toBeCloseTo(880, -1);
    expect(rms(steady)).toBeCloseTo(0.5 / Math.SQRT2, 1);
  });

  it('removes what 16 kHz cannot carry instead of folding it into speech frequencies', () => {
    const out = stream(new StreamingResampler(48000, 16000), tone(12000, 48000, 0.5));
    expect(rms(out.subarray(200))).toBeLessThan(0.05);
  });

  /** The filter worked out afresh for every output sample, as the resampler first did. */
  function direct(from: number, to: number, input: Float32Array, halfWidth = 8): Float32Array {
    const cutoff = Math.min(1, to / from);
    const half = halfWidth / cutoff;
    const out: number[] = [];
    for (let center = halfWidth; center + half < input.length; center += from / to) {
      let sum = 0;
      let norm = 0;
      for (let i = Math.max(0, Math.ceil(center - half)); i <= Math.floor(center + half); i++) {
        const x = (i - center) * cutoff;
        const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        const weight = sinc * (0.5 + 0.5 * Math.cos((Math.PI * (i - center)) / (half + 1)));
        sum += input[i]! * weight;
        norm += weight;
      }
      out.push(sum / norm);
    }
    return Float32Array.from(out);
  }

  it.each([48000, 44100, 22050, 8000, 47999])(
    'gives what the filter computed per sample gives, from %i Hz (weights kept per position)',
    (rate) => {
      // (The first history is zeros, as many as the half width: the direct filter sees them too.)
      let seed = 7;
      const noise = new Float32Array(rate).map(() => {
        seed = (seed * 16807) % 2147483647;
        return seed / 2147483647 - 0.5;
      });
      const streamed = stream(new StreamingResampler(rate, 16000), noise);
      const expected = direct(rate, 16000, concat(new Float32Array(16), noise));
      expect(streamed.length).toBe(expected.length);
      let worst = 0;
      for (let i = 0; i < expected.length; i++)
        worst = Math.max(worst, Math.abs(streamed[i]! - expected[i]!));
      expect(worst).toBeLessThan(1e-5);
    },
  );
});
