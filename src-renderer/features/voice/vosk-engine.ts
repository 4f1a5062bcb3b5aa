/**
 * The speech engine: vosk-browser's WASM recognizer in its worker (a Vosk assertion aborts only
 * that worker). The worker is vosk-browser's own, emitted by the build as `vosk-worker.js` and
 * served with a CSP of its own: its Emscripten glue builds functions with `new Function`, which
 * the page's CSP forbids (a blob worker, as vosk-browser makes by default, would inherit the
 * page's CSP). This class speaks the worker's small message protocol directly. It reports a
 * missing or damaged model as an error instead of waiting forever, rebuilds its recognizer when
 * the grammar changes, and gives all its memory back on dispose() by ending the worker.
 */
import { fromVoskResult, type Utterance } from './recognition';

/** Where the build puts vosk-browser's worker, next to index.html. */
export const VOSK_WORKER_URL = './vosk-worker.js';

interface VoskResultMessage {
  event: 'result' | 'partialresult';
  recognizerId: string;
  result: {
    text?: string;
    partial?: string;
    result?: Array<{ word: string; conf: number; start?: number; end?: number }>;
  };
}
type WorkerMessage =
  | { event: 'load'; result: boolean }
  | { event: 'error'; error: string; recognizerId?: string }
  | VoskResultMessage;

export class SpeechEngineError extends Error {
  constructor(
    readonly code: 'model_unavailable' | 'model_corrupt' | 'load_timeout' | 'engine_failed',
    message: string,
  ) {
    super(message);
    this.name = 'SpeechEngineError';
  }
}

export interface EngineStats {
  /** Frames and samples handed to the recognizer worker, and at what rate. */
  frames: number;
  samples: number;
  sampleRate: number;
  /** RMS level of the last frame (0..1). */
  level: number;
  /** The largest RMS level seen. */
  peak: number;
  results: number;
  partials: number;
  /** Requests the worker has not answered yet: above a few, it is not keeping up. */
  backlog: number;
}

export interface EngineEvents {
  result(utterance: Utterance, at: number): void;
  partial(text: string): void;
  error(error: SpeechEngineError): void;
}

export const SAMPLE_RATE = 16000;

export class VoskEngine {
  private recognizerId: string | null = null;
  private grammarKey: string | null = null;
  private disposed = false;
  readonly stats: EngineStats = {
    frames: 0,
    samples: 0,
    sampleRate: SAMPLE_RATE,
    level: 0,
    peak: 0,
    results: 0,
    partials: 0,
    backlog: 0,
  };
  private settledWaiters: Array<() => void> = [];

  private constructor(
    private readonly worker: Worker,
    private readonly events: EngineEvents,
  ) {
    worker.onmessage = (event: MessageEvent<WorkerMessage | undefined>) =>
      this.onMessage(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.fail(event.message || 'the worker stopped');
    };
  }

  /** Loads the model at `url` in a new worker; rejects with a SpeechEngineError. */
  static async load(
    url: string,
    events: EngineEvents,
    timeoutMs = 120_000,
    workerUrl = VOSK_WORKER_URL,
  ): Promise<VoskEngine> {
    // The model must exist before the worker is asked for it: a 404 inside the worker is logged
    // there and never reported back.
    const head = await fetch(url, { method: 'HEAD' }).catch(() => null);
    if (!head?.ok)
      throw new SpeechEngineError(
        'model_unavailable',
        'The speech model is not available. Import or download it in Settings > Voice.',
      );
    const worker = new Worker(new URL(workerUrl, location.href));
    const loaded = await new Promise<true | SpeechEngineError>((resolve) => {
      const timer = setTimeout(
        () =>
          resolve(new SpeechEngineError('load_timeout', 'The speech model took too long to load.')),
        timeoutMs,
      );
      const corrupt = (detail: string) =>
        new SpeechEngineError('model_corrupt', `The speech model cannot be used: ${detail}`);
      worker.onmessage = (event: MessageEvent<WorkerMessage | undefined>) => {
        const message = event.data;
        if (!message) return;
        if (message.event === 'load') {
          clearTimeout(timer);
          resolve(
            message.result === true
              ? true
              : corrupt('it is damaged or not a Vosk model. Import or download it again.'),
          );
        } else if (message.event === 'error') {
          clearTimeout(timer);
          resolve(corrupt(message.error));
        }
      };
      // A script that fails to load, or a WASM abort outside a promise, arrives here.
      worker.onerror = (event) => {
        event.preventDefault();
        clearTimeout(timer);
        resolve(
          new SpeechEngineError(
            'engine_failed',
            `The speech engine could not start: ${event.message || 'its worker failed to load'}`,
          ),
        );
      };
      worker.postMessage({ action: 'set', key: 'logLevel', value: -1 });
      worker.postMessage({ action: 'load', modelUrl: new URL(url, location.href).toString() });
    });
    if (loaded !== true) {
      worker.terminate();
      throw loaded;
    }
    return new VoskEngine(worker, events);
  }

  /** Listens for `words` only (plus "[unk]"), or for anything the model knows with null. */
  setGrammar(words: string[] | null): void {
    const key = words ? JSON.stringify(words) : '';
    if (this.recognizerId && key === this.grammarKey) return;
    this.removeRecognizer();
    this.grammarKey = key;
    const recognizerId = crypto.randomUUID();
    this.worker.postMessage({
      action: 'create',
      recognizerId,
      sampleRate: SAMPLE_RATE,
      ...(words ? { grammar: key } : {}),
    });
    this.worker.postMessage({ action: 'set', recognizerId, key: 'words', value: true });
    this.recognizerId = recognizerId;
  }

  /** A 16 kHz mono frame with samples in [-1, 1]. */
  accept(samples: Float32Array, level: number): void {
    if (!this.recognizerId) return;
    this.stats.frames++;
    this.stats.samples += samples.length;
    this.stats.level = level;
    this.stats.peak = Math.max(this.stats.peak, level);
    // Kaldi expects the range of 16-bit samples.
    const data = new Float32Array(samples.length);
    for (let i = 0; i < samples.length; i++) data[i] = samples[i]! * 0x8000;
    this.stats.backlog++;
    this.worker.postMessage(
      { action: 'audioChunk', recognizerId: this.recognizerId, data, sampleRate: SAMPLE_RATE },
      [data.buffer],
    );
  }

  /** Ends the current utterance (push-to-talk released, a file ended). */
  flush(): void {
    if (!this.recognizerId) return;
    this.stats.backlog++;
    this.worker.postMessage({ action: 'retrieveFinalResult', recognizerId: this.recognizerId });
  }

  /** Resolves when the worker has answered everything sent so far (benches, tests). */
  settled(): Promise<void> {
    if (this.stats.backlog === 0 || this.disposed) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  dispose(): void {
    this.disposed = true;
    for (const resolve of this.settledWaiters.splice(0)) resolve();
    this.recognizerId = null;
    // Ending the worker frees the whole WASM heap (the model included) at once.
    this.worker.terminate();
  }

  private removeRecognizer(): void {
    if (!this.recognizerId) return;
    this.stats.backlog++;
    this.worker.postMessage({ action: 'remove', recognizerId: this.recognizerId });
    this.recognizerId = null;
  }

  private onMessage(message: WorkerMessage | undefined): void {
    // The worker answers some requests (creating a recognizer) with an empty message.
    if (this.disposed || !message) return;
    // Every audio chunk, final-result and remove request gets exactly one answer that names
    // its recognizer (a result, a partial result or an error).
    if (message.event !== 'load' && message.recognizerId) {
      this.stats.backlog = Math.max(0, this.stats.backlog - 1);
      if (this.stats.backlog === 0) for (const resolve of this.settledWaiters.splice(0)) resolve();
    }
    if (message.event === 'error') {
      // Errors of a recognizer already replaced (a grammar change) do not matter.
      if (message.recognizerId && message.recognizerId !== this.recognizerId) return;
      this.fail(message.error);
      return;
    }
    if (message.event === 'load') return;
    // Results of a removed recognizer (its final words when the grammar changed) are dropped.
    if (message.recognizerId !== this.recognizerId) return;
    if (message.event === 'result') {
      if (!message.result.text) return;
      this.stats.results++;
      this.events.result(fromVoskResult(message.result), performance.now());
    } else if (message.result.partial) {
      this.stats.partials++;
      this.events.partial(message.result.partial);
    }
  }

  private fail(detail: string): void {
    if (this.disposed) return;
    this.events.error(
      new SpeechEngineError('engine_failed', `The speech engine failed: ${detail}`),
    );
  }
}
