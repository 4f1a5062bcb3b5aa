import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/frames';
import { silentLogger } from '../../src-shared/log';
import { makeTempDir } from '../support/temp-dir';
import { helloFor } from '../support/protocol-client';
import { connectFrames, type FrameClient } from '../support/ws-client';

describe('signaling server', () => {
  let server: RunningServer;
  const temp = makeTempDir();

  beforeAll(async () => {
    server = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: temp.dir, maxBadFrames: 5, maxFrameBytes: 4096 },
      silentLogger,
    );
  });
  afterAll(async () => {
    await server.close();
    temp.cleanup();
  });

  async function helloClient(): Promise<FrameClient> {
    const client = await connectFrames(server.url);
    client.send(helloFor(server.url, 'test'));
    await client.next((f) => f.t === 'welcome');
    return client;
  }

  it('answers /healthz with its id and connection count', async () => {
    const client = await helloClient();
    const response = await fetch(`${server.httpUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.json()).toMatchObject({
      status: 'ok',
      serverId: server.serverId,
      protocol: PROTOCOL_VERSION,
      connections: 1,
    });
    client.close();
    expect((await fetch(`${server.httpUrl}/nope`)).status).toBe(404);
  });

  it('keeps its id across restarts (stored in its data dir)', async () => {
    const again = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: temp.dir },
      silentLogger,
    );
    expect(again.serverId).toBe(server.serverId);
    await again.close();
  });

  it('greets a client and answers pings', async () => {
    const client = await connectFrames(server.url);
    client.send(helloFor(server.url, 'test'));
    expect(await client.next()).toMatchObject({
      t: 'welcome',
      v: PROTOCOL_VERSION,
      serverId: server.serverId,
    });
    client.send({ t: 'ping', id: 7, ts: 123 });
    expect(await client.next()).toEqual({ t: 'pong', id: 7, ts: 123 });
    client.close();
  });

  it('requires hello before anything else', async () => {
    const client = await connectFrames(server.url);
    client.send({ t: 'ping', id: 1, ts: 1 });
    expect(await client.next()).toMatchObject({ t: 'error', code: 'not_ready' });
    client.close();
  });

  it('refuses another protocol version and closes', async () => {
    const client = await connectFrames(server.url);
    client.send({ ...helloFor(server.url), v: 99 });
    expect(await client.next()).toMatchObject({ t: 'error', code: 'unsupported_version' });
    expect((await client.closed).code).toBe(1002);
  });

  it('answers each bad frame with an error, then disconnects a client that keeps sending them', async () => {
    const before = server.counters().badFrames;
    const client = await helloClient();
    const bad = ['{oops', '{"t":"launch"}', '{"t":"ping","id":"x","ts":1}', 'null'];
    const codes: string[] = [];
    for (const text of bad) {
      client.sendText(text);
      codes.push((await client.next<{ t: string; code: string }>((f) => f.t === 'error')).code);
    }
    expect(codes).toEqual([
      'malformed_frame',
      'unknown_frame',
      'malformed_frame',
      'malformed_frame',
    ]);
    // A valid frame still works between bad ones.
    client.send({ t: 'ping', id: 2, ts: 2 });
    expect(await client.next((f) => f.t === 'pong')).toMatchObject({ id: 2 });
    client.sendText('{still bad');
    await client.next((f) => f.code === 'too_many_errors');
    expect((await client.closed).code).toBe(1008);
    expect(server.counters().badFrames - before).toBe(5);
    expect(server.counters().disconnectedForErrors).toBe(1);
  });

  it('closes a connection that sends an oversized frame, and keeps serving others', async () => {
    const victim = await helloClient();
    const bystander = await helloClient();
    victim.sendText(JSON.stringify({ t: 'ping', id: 1, ts: 1, pad: 'x'.repeat(8192) }));
    expect((await victim.closed).code).toBe(1009);
    bystander.send({ t: 'ping', id: 3, ts: 3 });
    expect(await bystander.next()).toMatchObject({ t: 'pong', id: 3 });
    bystander.close();
  });

  it('shuts down gracefully: clients get 1001 and the port is released', async () => {
    const dir = makeTempDir();
    const own = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: dir.dir },
      silentLogger,
    );
    const client = await connectFrames(own.url);
    await own.close();
    expect((await client.closed).code).toBe(1001);
    await expect(fetch(`${own.httpUrl}/healthz`)).rejects.toThrow();
    dir.cleanup();
  });
});
