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
});
