/**
 * Streaming downsampler to the speech model's rate (16 kHz): a windowed-sinc low-pass at the
 * target's Nyquist frequency, evaluated at fractional source positions, carrying its history
 * across blocks so that 128-sample render quanta join without clicks. Used in the AudioWorklet,
 * on the audio thread, all day while voice control listens.
 *
 * The rates' ratio is kept as a fraction, so output samples fall on a few fractional positions
 * only (one at 48 kHz, 160 at 44.1 kHz). Each position's filter weights are computed once and
 * reused; working them out per sample (a sine and a cosine per tap) cost about ten times as much.
 */
export class StreamingResampler {
  private readonly cutoff: number;
  /** Half the filter's span in source samples. */
  private readonly half: number;
  /** The ratio fromRate / toRate as `whole + step / phases`. */
  private readonly whole: number;
  private readonly step: number;
  private readonly phases: number;
  /** Filter weights per fractional position (phase), made when first needed. */
  private readonly weights: Array<{ from: number; weights: Float64Array; norm: number }> = [];
  /** Source samples kept from earlier blocks (the filter's left half). */
  private history: Float32Array;
  /** The next output sample's position in source samples from history's start: at + phase/phases. */
  private at: number;
  private phase = 0;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
    halfWidth = 8,
  ) {
    const from = Math.round(fromRate);
    const to = Math.round(toRate);
    const common = gcd(from, to);
    this.phases = to / common;
    this.whole = Math.floor(from / to);
    this.step = (from / common) % this.phases;
    this.cutoff = Math.min(1, toRate / fromRate);
    this.half = halfWidth / this.cutoff;
    this.history = new Float32Array(halfWidth * 2);
    this.at = halfWidth; // the first output waits for a half window of input
  }

  /** Takes the next block of source samples; returns the output samples they complete. */
  push(input: Float32Array): Float32Array {
    if (this.fromRate === this.toRate) return input.slice();
    const buffer = new Float32Array(this.history.length + input.length);
    buffer.set(this.history);
    buffer.set(input, this.history.length);
    const ratio = this.whole + this.step / this.phases;
    const out = new Float32Array(Math.ceil(buffer.length / ratio) + 1);
    let count = 0;
    while (this.at + this.phase / this.phases + this.half < buffer.length) {
      out[count++] = this.sample(buffer);
      this.at += this.whole;
      this.phase += this.step;
      if (this.phase >= this.phases) {
        this.phase -= this.phases;
        this.at += 1;
      }
    }
    // Keep enough of the tail for the next block's left half.
    const fraction = this.phase / this.phases;
    const keepFrom = Math.max(0, this.at + Math.floor(fraction - this.half) - 1);
    this.history = buffer.slice(keepFrom);
    this.at -= keepFrom;
    return out.slice(0, count);
  }

  /** The filtered value at the current position. */
  private sample(buffer: Float32Array): number {
    const filter = this.filter(this.phase);
    const first = this.at + filter.from;
    if (first >= 0) {
      let sum = 0;
      const { weights } = filter;
      for (let k = 0; k < weights.length; k++) sum += buffer[first + k]! * weights[k]!;
      return filter.norm === 0 ? 0 : sum / filter.norm;
    }
    // The very first outputs: the window reaches before the first sample.
    let sum = 0;
    let norm = 0;
    for (let k = -first; k < filter.weights.length; k++) {
      sum += buffer[first + k]! * filter.weights[k]!;
      norm += filter.weights[k]!;
    }
    return norm === 0 ? 0 : sum / norm;
  }

  private filter(phase: number): { from: number; weights: Float64Array; norm: number } {
    const known = this.weights[phase];
    if (known) return known;
    const fraction = phase / this.phases;
    const from = Math.ceil(fraction - this.half);
    const to = Math.floor(fraction + this.half);
    const weights = new Float64Array(to - from + 1);
    let norm = 0;
    for (let k = from; k <= to; k++) {
      const offset = k - fraction;
      const x = offset * this.cutoff;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * offset) / (this.half + 1));
      weights[k - from] = sinc * window;
      norm += sinc * window;
    }
    const filter = { from, weights, norm };
    // A rate with thousands of positions (an odd device rate) is computed, not kept.
    if (this.phases <= 4096) this.weights[phase] = filter;
    return filter;
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Root-mean-square level of a block (0..1 for samples in [-1, 1]). */
export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}
