/**
 * The page's side of the voice-activity worker (vad-worker.ts): starts it, hands it the
 * microphone's 16 kHz frames and calls back with one speech probability per 32 ms of audio.
 * A worker that cannot load says why, instead of leaving voice control waiting; one that fails
 * or stops answering later is reported once, so the page can go on without it.
 */
import type { VadRequest, VadResponse } from './vad-worker';

/** Where the build puts the worker, the model and the runtime's WASM, relative to index.html. */
export const VAD_FILES = {
  worker: './vad-worker.js',
  model: './vad/silero_vad_v5.onnx',
  wasm: './vad/ort-wasm-simd-threaded.wasm',
};

export interface VadClient {
  push(samples: Float32Array): void;
  dispose(): void;
}

export interface VadTimeouts {
  /** How long loading the model may take. */
  timeoutMs?: number;
  /**
   * How long a frame may go unanswered before the detector counts as stopped. It answers each
   * frame in 1–5 ms, so this is a worker that hangs or ended itself, not one that is busy.
   */
  stallMs?: number;
}

export function startVad(
  onProbabilities: (values: number[]) => void,
  /**
   * The detector failed after it had started (an inference error, a WASM abort, no answers):
   * called once, with the reason in words; the caller goes on without it.
   */
  onFailure: (message: string) => void,
  { timeoutMs = 60_000, stallMs = 5_000 }: VadTimeouts = {},
): Promise<VadClient> {
  const url = (file: string) => new URL(file, location.href).toString();
  const worker = new Worker(url(VAD_FILES.worker), { type: 'module' });
  const send = (request: VadRequest, transfer: Transferable[] = []) =>
    worker.postMessage(request, transfer);
  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      worker.terminate();
      reject(new Error(`The voice detector could not start: ${message}`));
    };
    const timer = setTimeout(() => fail('it took too long to load'), timeoutMs);
    worker.onerror = (event) => {
      event.preventDefault();
      fail(event.message || 'its worker failed to load');
    };
    worker.onmessage = (event: MessageEvent<VadResponse>) => {
      const message = event.data;
      if (message.type === 'error') fail(message.message);
      else if (message.type === 'ready') {
        clearTimeout(timer);
        let stopped = false;
        const stop = (reason: string) => {
          if (stopped) return;
          stopped = true;
          worker.terminate();
          onFailure(`The voice detector stopped: ${reason}`);
        };
        /** When each frame still unanswered was handed over (the worker answers every one). */
        const unanswered: number[] = [];
        worker.onmessage = (next: MessageEvent<VadResponse>) => {
          if (next.data.type === 'probabilities') {
            unanswered.shift();
            onProbabilities(next.data.values);
          } else if (next.data.type === 'error') stop(next.data.message);
        };
        worker.onerror = (event) => {
          event.preventDefault();
          stop(event.message || 'its worker failed');
        };
        resolve({
          push(samples) {
            if (stopped) return;
            const waited = performance.now() - (unanswered[0] ?? Infinity);
            if (waited > stallMs) {
              stop(`it has not answered for ${(waited / 1000).toFixed(0)} s`);
              return;
            }
            unanswered.push(performance.now());
            // A copy is transferred: the caller may still hand the frame to the recognizer.
            const copy = samples.slice();
            send({ type: 'audio', samples: copy }, [copy.buffer]);
          },
          dispose: () => {
            stopped = true;
            worker.terminate();
          },
        });
      }
    };
    send({ type: 'load', modelUrl: url(VAD_FILES.model), wasmUrl: url(VAD_FILES.wasm) });
  });
}
