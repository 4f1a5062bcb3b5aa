/**
 * The page's side of the voice-activity worker, with a stand-in for the browser's Worker (the
 * real worker runs in the e2e tests): it starts on "ready", reports a worker that cannot load,
 * and a detector that fails or stops answering after it started is reported once, in words, and
 * ended.
 */
import { startVad } from '../../src-renderer/lib/audio/vad-client';
import type { VadRequest, VadResponse } from '../../src-renderer/lib/audio/vad-worker';

class FakeWorker {
  static last: FakeWorker | null = null;
  onmessage: ((event: { data: VadResponse }) => void) | null = null;
  onerror: ((event: { message: string; preventDefault(): void }) => void) | null = null;
  readonly received: VadRequest[] = [];
  terminated = false;
  constructor(readonly url: string) {
    FakeWorker.last = this;
  }
  postMessage(request: VadRequest): void {
    if (!this.terminated) this.received.push(request);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(data: VadResponse): void {
    this.onmessage?.({ data });
  }
  crash(message: string): void {
    this.onerror?.({ message, preventDefault: () => undefined });
  }
}

const globals = globalThis as unknown as Record<string, unknown>;
beforeAll(() => {
  globals.Worker = FakeWorker;
  globals.location = { href: 'http://app.test/index.html' };
});
afterAll(() => {
  delete globals.Worker;
  delete globals.location;
});

async function started() {
  const probabilities: number[][] = [];
  const failures: string[] = [];
  const starting = startVad(
    (values) => probabilities.push(values),
    (message) => failures.push(message),
  );
  const worker = FakeWorker.last!;
  expect(worker.received[0]).toEqual({
    type: 'load',
    modelUrl: 'http://app.test/vad/silero_vad_v5.onnx',
    wasmUrl: 'http://app.test/vad/ort-wasm-simd-threaded.wasm',
  });
  worker.answer({ type: 'ready' });
  return { client: await starting, worker, probabilities, failures };
}

describe('startVad', () => {
  it('hands audio over and passes probabilities back once the worker is ready', async () => {
    const { client, worker, probabilities, failures } = await started();
    const frame = new Float32Array([0.1, 0.2]);
    client.push(frame);
    expect(worker.received[1]).toEqual({ type: 'audio', samples: frame });
    expect((worker.received[1] as { samples: Float32Array }).samples).not.toBe(frame);
    worker.answer({ type: 'probabilities', values: [0.9, 0.8] });
    expect(probabilities).toEqual([[0.9, 0.8]]);
    expect(failures).toEqual([]);
  });

  it('rejects with the reason when the worker cannot load its model', async () => {
    const starting = startVad(
      () => undefined,
      () => undefined,
    );
    FakeWorker.last!.answer({ type: 'error', message: 'its model is missing (404)' });
    await expect(starting).rejects.toThrow(
      'The voice detector could not start: its model is missing (404)',
    );
    expect(FakeWorker.last!.terminated).toBe(true);
  });

  it('reports a detector that fails after it started, once, and ends its worker', async () => {
    const { worker, failures, probabilities } = await started();
    worker.answer({ type: 'error', message: 'inference failed' });
    worker.answer({ type: 'probabilities', values: [0.5] });
    worker.crash('RuntimeError: unreachable');
    expect(failures).toEqual(['The voice detector stopped: inference failed']);
    expect(worker.terminated).toBe(true);
    // (A terminated worker sends nothing more; the stand-in's late answer is not counted on.)
    expect(probabilities.length).toBeLessThanOrEqual(1);
  });

  it('reports a worker that crashes after it started', async () => {
    const { worker, failures } = await started();
    worker.crash('RuntimeError: unreachable');
    expect(failures).toEqual(['The voice detector stopped: RuntimeError: unreachable']);
    expect(worker.terminated).toBe(true);
  });

  it('reports a worker that stops answering, and hands it nothing more', async () => {
    jest.useFakeTimers();
    try {
      const { client, worker, failures, probabilities } = await started();
      const frame = new Float32Array(800);
      // Answers that come late, on a busy machine, are no failure.
      client.push(frame);
      jest.advanceTimersByTime(4_000);
      client.push(frame);
      worker.answer({ type: 'probabilities', values: [0.1] });
      jest.advanceTimersByTime(4_000);
      client.push(frame);
      expect(failures).toEqual([]);
      // The second frame has waited over 5 s: the worker hangs or ended itself.
      jest.advanceTimersByTime(1_500);
      client.push(frame);
      expect(failures).toEqual(['The voice detector stopped: it has not answered for 6 s']);
      expect(worker.terminated).toBe(true);
      client.push(frame);
      expect(worker.received.filter((r) => r.type === 'audio')).toHaveLength(3);
      expect(failures).toHaveLength(1);
      expect(probabilities).toEqual([[0.1]]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('says nothing when the page itself ends the detector', async () => {
    const { client, worker, failures } = await started();
    client.dispose();
    worker.crash('terminated');
    expect(failures).toEqual([]);
    expect(worker.terminated).toBe(true);
  });
});
