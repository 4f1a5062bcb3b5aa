/**
 * No impersonation through a second server. The reviewer's attack: a malicious server the app is
 * pointed at relays the real server's handshake, has the app sign it, and signs in to the real
 * server as the user (and collects the user's token for it). Now the app says which address it
 * dialed, the real server refuses an address not its own, its welcome proves its key for the
 * address the app dialed, and tokens go only to the server that issued them. A server showing
 * another identity at a trusted address is refused in words until the user accepts it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { createNodePlatform } from '../../src-main/platform/node-platform';
import { startServices, type Services } from '../../src-main/services/container';
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import { silentLogger } from '../../src-shared/log';
import { appClient, waitReady } from '../support/app-client';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/ws-client';

/** A server that relays everything to `target`, optionally rewriting the hello's address. */
async function startRelay(target: string, rewriteDialed: string | null) {
  const seen: Array<Record<string, unknown>> = [];
  const upgradeHeaders: http.IncomingHttpHeaders[] = [];
  const httpServer = http.createServer();
  const wss = new WebSocketServer({ server: httpServer, path: '/ws' });
  wss.on('connection', (client, req) => {
    upgradeHeaders.push(req.headers);
    const upstream = new WebSocket(target);
    const queue: string[] = [];
    upstream.on('open', () => queue.splice(0).forEach((f) => upstream.send(f)));
    upstream.on('message', (data) => client.readyState === 1 && client.send(data.toString()));
    upstream.on('close', () => client.close());
    upstream.on('error', () => client.close());
    client.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      seen.push(frame);
      if (frame.t === 'hello' && rewriteDialed) frame.dialed = rewriteDialed;
      const text = JSON.stringify(frame);
      if (upstream.readyState === 1) upstream.send(text);
      else queue.push(text);
    });
    client.on('close', () => upstream.close());
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    seen,
    upgradeHeaders,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        httpServer.close(() => resolve());
      }),
  };
}

describe('server identity', () => {
  const temp = makeTempDir();
  let real: RunningServer;
  const apps: Services[] = [];
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await real?.close();
    temp.cleanup();
  });
  const startApp = async (name: string, serverUrl: string) => {
    const app = await startServices({
      dataDir: path.join(temp.dir, name),
      platform: createNodePlatform(),
      logger: silentLogger,
      host: 'web',
      serverUrlOverride: serverUrl,
    });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    real = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: path.join(temp.dir, 'real') },
      silentLogger,
    );
  });

  it('gives a relaying server neither a sign-in at the real server nor the token', async () => {
    // Alice uses the real server first: she has a token for it and its identity is pinned.
    const alice = await startApp('alice', real.url);
    const call = appClient(alice);
    await call('identity.create', { displayName: 'Alice' });
    await waitReady(alice);
    expect(alice.connection.status().fingerprint).toBe(real.fingerprint);
    const room = await call('rooms.create', { name: 'Private' });
    expect(real.onlineUsers()).toBe(1);
    await alice.stop();
    apps.splice(apps.indexOf(alice), 1);

    for (const rewrite of [null, real.url]) {
      const relay = await startRelay(real.url, rewrite);
      const again = await startApp('alice', relay.url);
      // Unchanged hello: the real server refuses an address that is not its own.
      // Rewritten hello: the real server's proof covers its own address, not the relay's.
      await waitFor(
        () => again.connection.status().lastError !== null,
        5000,
        'the app refused the relayed session',
      );
      await new Promise((r) => setTimeout(r, 500));
      expect(again.sync.status().phase).not.toBe('ready');
      expect(relay.seen.map((f) => f.t)).not.toContain('auth');
      expect(relay.seen.map((f) => f.t)).not.toContain('auth.token');
      expect(relay.upgradeHeaders.every((h) => h.authorization === undefined)).toBe(true);
      expect(real.onlineUsers()).toBe(0);
      await again.stop();
      apps.splice(apps.indexOf(again), 1);
      await relay.close();
    }
    expect(real.counters().wrongServer).toBeGreaterThanOrEqual(1);

    // The ordinary path still works: straight to the real server, with the room.
    const back = await startApp('alice', real.url);
    await waitReady(back);
    expect((await appClient(back)('rooms.list')).map((r) => r.id)).toContain(room.id);
  });

  it('refuses another identity at a trusted address in words until the user accepts it', async () => {
    const bob = await startApp('bob', real.url);
    await appClient(bob)('identity.create', { displayName: 'Bob' });
    await waitReady(bob);
    const port = real.port;
    const pinned = real.fingerprint;
    await real.close();
    // Someone else's server at the same address.
    real = await startSignalingServer(
      { host: '127.0.0.1', port, dataDir: path.join(temp.dir, 'impostor') },
      silentLogger,
    );
    await waitFor(
      () => bob.connection.status().identityProblem !== null,
      10_000,
      'the changed identity noticed',
    );
    const status = bob.connection.status();
    expect(status.identityProblem).toMatchObject({ expected: pinned, shown: real.fingerprint });
    expect(status.lastError).toMatch(/different identity/);
    expect(bob.sync.status().phase).not.toBe('ready');
    // The user accepts the new identity (Settings): trusted from now on, and signed in.
    await appClient(bob)('connection.acceptIdentity');
    await waitReady(bob, 10_000);
    expect(bob.connection.status().fingerprint).toBe(real.fingerprint);
  });

  it('lets a fallback server stand in only with the same identity (a cluster shares its key)', async () => {
    const carol = await startApp('carol', real.url);
    await appClient(carol)('identity.create', { displayName: 'Carol' });
    await waitReady(carol);
    const stranger = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: path.join(temp.dir, 'stranger') },
      silentLogger,
    );
    await appClient(carol)('settings.update', { fallbackServerUrls: [stranger.url] });
    const port = real.port;
    await real.close();
    await waitFor(
      () => carol.connection.status().identityProblem !== null,
      10_000,
      'the stranger refused',
    );
    expect(carol.connection.status().identityProblem).toMatchObject({ url: stranger.url });
    await stranger.close();
    real = await startSignalingServer(
      { host: '127.0.0.1', port, dataDir: path.join(temp.dir, 'impostor') },
      silentLogger,
    );
  });
});
