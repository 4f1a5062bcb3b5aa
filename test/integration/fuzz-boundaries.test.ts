/**
 * Bad input on the network boundaries, generated: random text, random JSON, and valid frames with
 * one field replaced by anything. 100,000 frames against the server and 100,000 against the web
 * bridge (FUZZ_FRAMES to change it), sent in pipelined batches: every frame gets one answer,
 * nothing crashes, and a well-behaved client is answered between every two batches.
 */
import path from 'node:path';
import fc from 'fast-check';
import { createNodePlatform } from '../../src-main/platform/node-platform';
import { startWebHost, type RunningWebHost } from '../../src-main/web/web-host';
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import { silentLogger } from '../../src-shared/log';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/frames';
import { dialedAddress } from '../../src-shared/protocol/entities';
import { helloFor } from '../support/protocol-client';
import { ROOT } from '../support/processes';
import { makeTempDir } from '../support/temp-dir';
import { hostAccess } from '../support/host-access';
import { connectFrames, type FrameClient } from '../support/ws-client';

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 100_000);
const BATCH = 250;
const SEED = 20261130;

/** A frame as text: garbage, arbitrary JSON, a valid frame, or a valid frame with one field replaced. */
function framesFrom(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> {
  const mutated = fc
    .tuple(
      valid,
      fc.oneof(
        fc.constantFrom('t', 'id', 'v', 'kind', 'channel', 'input', '__proto__'),
        fc.string(),
      ),
      fc.jsonValue(),
    )
    .map(([frame, key, value]) => JSON.stringify({ ...frame, [key]: value }));
  return fc.oneof(
    fc.string(),
    fc.json(),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    valid.map((v) => JSON.stringify(v)),
    mutated,
    mutated,
  );
}

describe('fuzzing the boundaries', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('server: answers every frame, stays up, and keeps serving a valid client', async () => {
    const server: RunningServer = await startSignalingServer(
      // Tolerate every bad frame here: what is tested is the answer to each one.
      {
        host: '127.0.0.1',
        port: 0,
        dataDir: path.join(temp.dir, 'server'),
        maxBadFrames: 1e9,
        rateLimitPerSec: 1e9,
        rateLimitBurst: 1e9,
        // The fuzzer may go long without a valid hello; that limit has its own test.
        helloTimeoutMs: 1e9,
      },
      silentLogger,
    );
    const bystander = await connectFrames(server.url);
    bystander.send(helloFor(server.url, 'bystander'));
    await bystander.next((f) => f.t === 'welcome');

    let fuzzer: FrameClient = await connectFrames(server.url);
    const valid = fc.oneof(
      fc.record({ t: fc.constant('ping'), id: fc.integer(), ts: fc.double() }),
      fc.record({
        t: fc.constant('hello'),
        v: fc.constant(PROTOCOL_VERSION),
        client: fc.record({
          name: fc.string({ maxLength: 64 }),
          version: fc.string({ maxLength: 32 }),
        }),
        dialed: fc.constant(dialedAddress(server.url)),
        nonce: fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/),
      }),
    );
    const frames = fc.sample(framesFrom(valid), { numRuns: FRAMES, seed: SEED });
    const replies = new Map<string, number>();
    let answered = 0;
    let hungUp = 0;
    for (let start = 0; start < frames.length; start += BATCH) {
      if (fuzzer.socket.readyState !== fuzzer.socket.OPEN) fuzzer = await connectFrames(server.url);
      const batch = frames.slice(start, start + BATCH);
      for (const text of batch) fuzzer.sendText(text);
      // The bystander is served while the batch is being answered.
      bystander.send({ t: 'ping', id: start, ts: 1 });
      let last: { t: string; code?: string } | null = null;
      for (let i = 0; i < batch.length; i++) {
        // A hello of another protocol version is answered, and then the server hangs up: the
        // frames sent after it in the batch go unanswered with it.
        const reply = await Promise.race([
          fuzzer.next<{ t: string; code?: string }>(),
          fuzzer.closed.then(() => null),
        ]);
        if (!reply) {
          expect(last).toMatchObject({ t: 'error', code: 'unsupported_version' });
          hungUp++;
          answered += batch.length - i;
          break;
        }
        last = reply;
        replies.set(reply.t, (replies.get(reply.t) ?? 0) + 1);
        answered++;
      }
      expect(await bystander.next((f) => f.t === 'pong' && f.id === start)).toBeTruthy();
    }
    expect(answered).toBe(FRAMES);
    expect(hungUp).toBeLessThan(FRAMES / BATCH / 10);
    expect([...replies.keys()].sort()).toEqual(['error', 'pong', 'welcome']);
    expect(server.counters().badFrames).toBeGreaterThan(FRAMES / 2);

    bystander.send({ t: 'ping', id: 42, ts: 1 });
    expect(await bystander.next((f) => f.t === 'pong')).toMatchObject({ id: 42 });
    fuzzer.close();
    bystander.close();
    await server.close();
  });

  it('web bridge: answers every frame with a result envelope and the app keeps working', async () => {
    const host: RunningWebHost = await startWebHost({
      port: 0,
      dataDir: path.join(temp.dir, 'host'),
      serverUrl: null,
      rendererDir: path.join(ROOT, 'dist', 'renderer'),
      webPreloadFile: path.join(ROOT, 'dist', 'preload', 'web-preload.js'),
      platform: createNodePlatform(),
      logger: silentLogger,
      // What is tested here is the answer to each frame; the limit has its own test below.
      callerLimits: { perSecond: 1e9, burst: 1e9 },
    });
    const { bridgeUrl, socketOptions } = hostAccess(host.url);
    const fuzzer = await connectFrames(bridgeUrl, socketOptions);
    const channels = fc.constantFrom(
      'app.info',
      'app.ping',
      'settings.get',
      'settings.update',
      'health.snapshot',
      'connection.status',
      'shortcuts.status',
      'nope',
      '__proto__',
      'constructor',
    );
    const valid = fc.record({
      kind: fc.constant('call'),
      id: fc.nat(),
      channel: channels,
      input: fc.jsonValue(),
    });
    const bystander = await connectFrames(bridgeUrl, socketOptions);
    const frames = fc.sample(framesFrom(valid), { numRuns: FRAMES, seed: SEED });
    const codes = new Map<string, number>();
    for (let start = 0; start < frames.length; start += BATCH) {
      const batch = frames.slice(start, start + BATCH);
      for (const text of batch) fuzzer.sendText(text);
      bystander.send({ kind: 'call', id: start, channel: 'app.ping', input: { sentAt: start } });
      for (let i = 0; i < batch.length; i++) {
        const reply = await fuzzer.next<{
          kind: string;
          result: { ok: boolean; error?: { code: string } };
        }>((f) => f.kind === 'result');
        const code = reply.result.ok ? 'ok' : (reply.result.error?.code ?? '?');
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
      expect(await bystander.next((f) => f.kind === 'result' && f.id === start)).toMatchObject({
        result: { ok: true, value: { sentAt: start } },
      });
    }
    expect([...codes.values()].reduce((a, b) => a + b, 0)).toBe(FRAMES);
    expect(codes.get('rate_limited')).toBeUndefined();
    // Every kind of refusal was exercised, not just one.
    for (const code of ['malformed_frame', 'unknown_channel', 'invalid_input'])
      expect(codes.get(code)).toBeGreaterThan(0);

    fuzzer.send({ kind: 'call', id: 1, channel: 'app.ping', input: { sentAt: 3 } });
    expect(await fuzzer.next((f) => f.id === 1 && f.kind === 'result')).toMatchObject({
      result: { ok: true, value: { sentAt: 3 } },
    });
    expect((await host.services.dispatch('health.snapshot', undefined)).ok).toBe(true);
    fuzzer.close();
    bystander.close();
    await host.close();
  }, 300_000);

  it('web bridge: a page past its call rate gets rate_limited; another page is unaffected', async () => {
    const host = await startWebHost({
      port: 0,
      dataDir: path.join(temp.dir, 'limited'),
      serverUrl: null,
      rendererDir: path.join(ROOT, 'dist', 'renderer'),
      webPreloadFile: path.join(ROOT, 'dist', 'preload', 'web-preload.js'),
      platform: createNodePlatform(),
      logger: silentLogger,
    });
    const { bridgeUrl, socketOptions } = hostAccess(host.url);
    const flooder = await connectFrames(bridgeUrl, socketOptions);
    const other = await connectFrames(bridgeUrl, socketOptions);
    const CALLS = 5000;
    for (let id = 0; id < CALLS; id++)
      flooder.send({ kind: 'call', id, channel: 'app.ping', input: { sentAt: id } });
    const codes = new Map<string, number>();
    for (let i = 0; i < CALLS; i++) {
      const reply = await flooder.next<{
        kind: string;
        result: { ok: boolean; error?: { code: string } };
      }>((f) => f.kind === 'result');
      const code = reply.result.ok ? 'ok' : reply.result.error!.code;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    // The burst (2,000) and what refilled meanwhile pass; the rest is refused with the code.
    expect(codes.get('ok')).toBeGreaterThanOrEqual(2000);
    expect(codes.get('rate_limited')).toBeGreaterThan(1000);
    other.send({ kind: 'call', id: 1, channel: 'app.ping', input: { sentAt: 9 } });
    expect(await other.next((f) => f.kind === 'result' && f.id === 1)).toMatchObject({
      result: { ok: true },
    });
    flooder.close();
    other.close();
    await host.close();
  });
});
