/**
 * Cuts a stream of samples, arriving in blocks of any size, into frames of a fixed size: the
 * capture worklet's 50 ms frames, Silero VAD's 512-sample frames. Each frame is a new array, so
 * it may be transferred or kept.
 */
export class FrameChunker {
  private frame: Float32Array;
  private filled = 0;

  constructor(readonly size: number) {
    this.frame = new Float32Array(size);
  }

  /** Calls `onFrame` for every frame that `samples` completes, in order. */
  push(samples: Float32Array, onFrame: (frame: Float32Array) => void): void {
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(this.size - this.filled, samples.length - offset);
      this.frame.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.size) {
        const full = this.frame;
        this.frame = new Float32Array(this.size);
        this.filled = 0;
        onFrame(full);
      }
    }
  }

  /** Drops a partly filled frame. */
  clear(): void {
    this.filled = 0;
  }
}
