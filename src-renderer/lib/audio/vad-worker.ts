/**
 * The voice-activity detector's worker: Silero VAD on onnxruntime-web (single-threaded WASM), so
 * the model's 1–5 ms per 32 ms frame never runs on the page's thread. Built by
 * scripts/build.mjs as `vad-worker.js` next to index.html, with a CSP of its own (see
 * src-shared/csp.ts); the runtime's WASM and the model come from the app, never the network.
 *
 *   page → { type: 'load', modelUrl, wasmUrl } → { type: 'ready' } | { type: 'error', message }
 *   page → { type: 'audio', samples }          → { type: 'probabilities', values }
 *                                                | { type: 'error', message } (then no more)
 */
import * as ort from 'onnxruntime-web/wasm';
import { SileroVad } from './silero-vad';

export type VadRequest =
  { type: 'load'; modelUrl: string; wasmUrl: string } | { type: 'audio'; samples: Float32Array };

export type VadResponse =
  | { type: 'ready' }
  | { type: 'error'; message: string }
  | { type: 'probabilities'; values: number[] };

declare const self: {
  onmessage: ((event: MessageEvent<VadRequest>) => void) | null;
  postMessage(message: VadResponse): void;
};

let vad: SileroVad | null = null;
/** Audio is handled strictly in order: each frame waits for the one before it. */
let queue: Promise<void> = Promise.resolve();

async function load(modelUrl: string, wasmUrl: string): Promise<void> {
  ort.env.wasm.wasmPaths = { wasm: wasmUrl };
  const response = await fetch(modelUrl);
  if (!response.ok) throw new Error(`its model is missing (${response.status})`);
  vad = await SileroVad.load(ort, await response.arrayBuffer());
}

self.onmessage = (event) => {
  const request = event.data;
  if (request.type === 'load') {
    load(request.modelUrl, request.wasmUrl).then(
      () => self.postMessage({ type: 'ready' }),
      (error: unknown) =>
        self.postMessage({
          type: 'error',
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  } else {
    queue = queue.then(async () => {
      if (!vad) return;
      try {
        self.postMessage({ type: 'probabilities', values: await vad.push(request.samples) });
      } catch (error) {
        // Said once, and the detector stops: the page goes on without it.
        vad = null;
        self.postMessage({
          type: 'error',
          message: error instanceof Error ? error.message : String(error),
        });
      }
    });
  }
};
