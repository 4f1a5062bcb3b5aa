/**
 * Streaming downsampler to the speech model's rate (16 kHz): a windowed-sinc low-pass at the
 * target's Nyquist frequency, evaluated at fractional source positions, carrying its history
 * across blocks so that 128-sample render quanta join without clicks. Used in the AudioWorklet.
 */
export class StreamingResampler {
  private readonly ratio: number;
  private readonly taps: number;
  private readonly cutoff: number;
  /** Source samples kept from earlier blocks (the filter's left half). */
  private history: Float32Array;
  /** Position of the next output sample, in source samples relative to history's start. */
  private position: number;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
    halfWidth = 8,
  ) {
    this.ratio = fromRate / toRate;
    this.taps = halfWidth;
    this.cutoff = Math.min(1, toRate / fromRate);
    this.history = new Float32Array(halfWidth * 2);
    this.position = halfWidth; // the first output waits for a half window of input
  }

  /** Takes the next block of source samples; returns the output samples they complete. */
  push(input: Float32Array): Float32Array {
    if (this.fromRate === this.toRate) return input.slice();
    const buffer = new Float32Array(this.history.length + input.length);
    buffer.set(this.history);
    buffer.set(input, this.history.length);
    const out: number[] = [];
    const half = this.taps / this.cutoff;
    while (this.position + half < buffer.length) {
      const center = this.position;
      const first = Math.max(0, Math.ceil(center - half));
      const last = Math.min(buffer.length - 1, Math.floor(center + half));
      let sum = 0;
      let norm = 0;
      for (let i = first; i <= last; i++) {
        const x = (i - center) * this.cutoff;
        const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        const window = 0.5 + 0.5 * Math.cos((Math.PI * (i - center)) / (half + 1));
        const weight = sinc * window;
        sum += buffer[i]! * weight;
        norm += weight;
      }
      out.push(norm === 0 ? 0 : sum / norm);
      this.position += this.ratio;
    }
    // Keep enough of the tail for the next block's left half.
    const keepFrom = Math.max(0, Math.floor(this.position - half) - 1);
    this.history = buffer.slice(keepFrom);
    this.position -= keepFrom;
    return Float32Array.from(out);
  }
}

/** Root-mean-square level of a block (0..1 for samples in [-1, 1]). */
export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}
