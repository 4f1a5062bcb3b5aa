import fs from 'node:fs';
import path from 'node:path';
import { createNodePlatform } from '../../src-main/platform/node-platform';
import { startServices, type Services } from '../../src-main/services/container';
import { startSignalingServer } from '../../src-server/signaling-server';
import { silentLogger } from '../../src-shared/log';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/ws-client';
import { appClient, waitReady } from '../support/app-client';

describe('services container', () => {
  const temp = makeTempDir();
  let services: Services;
  afterAll(() => temp.cleanup());

  beforeAll(async () => {
    services = await startServices({
      dataDir: temp.dir,
      platform: createNodePlatform(),
      logger: silentLogger,
      host: 'web',
    });
  });

  it('hosts the server on this computer when none is configured, and connects to it', async () => {
    await waitFor(() => services.connection.status().state === 'online', 5000, 'online');
    const embedded = services.endpoint.embeddedServer();
    expect(embedded).not.toBeNull();
    expect(services.connection.status()).toMatchObject({
      embedded: true,
      source: 'embedded',
      url: embedded?.url,
    });
    expect(embedded?.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
  });

  it('answers contract calls with real state', async () => {
    const info = await services.dispatch('app.info', undefined);
    expect(info).toMatchObject({
      ok: true,
      value: { host: 'web', dataDir: path.resolve(temp.dir) },
    });
    const health = await services.dispatch('health.snapshot', undefined);
    expect(health.ok).toBe(true);
    if (!health.ok) return;
    const snapshot = health.value as {
      database: { path: string; fileBytes: number };
      processes: { pid: number }[];
    };
    expect(snapshot.database.path).toBe(path.join(temp.dir, 'beseda.db'));
    expect(snapshot.database.fileBytes).toBe(fs.statSync(snapshot.database.path).size);
    expect(snapshot.processes[0]?.pid).toBe(process.pid);
    const shortcuts = await services.dispatch('shortcuts.status', undefined);
    expect(shortcuts).toMatchObject({
      ok: true,
      value: [
        { action: 'toggleWindow', state: 'unsupported' },
        { action: 'toggleListening', state: 'unsupported' },
        { action: 'pushToTalk', state: 'unsupported' },
        { action: 'muteMicrophone', state: 'unsupported' },
      ],
    });
  });

  it('switches to a configured server and back to the embedded one, emitting events', async () => {
    const remoteDir = makeTempDir();
    const remote = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: remoteDir.dir },
      silentLogger,
    );
    const events: string[] = [];
    const off = services.events.subscribe((name) => events.push(name));

    await services.dispatch('settings.update', { serverUrl: remote.url });
    await waitFor(
      () =>
        services.connection.status().serverId === remote.serverId &&
        services.connection.status().state === 'online',
      5000,
      'remote online',
    );
    expect(services.connection.status()).toMatchObject({
      embedded: false,
      source: 'settings',
      url: remote.url,
    });
    await waitFor(() => services.endpoint.embeddedServer() === null, 2000, 'embedded stopped');

    await services.dispatch('settings.update', { serverUrl: null });
    await waitFor(
      () =>
        services.connection.status().embedded && services.connection.status().state === 'online',
      5000,
      'embedded again',
    );
    expect(events).toContain('settings.changed');
    expect(events).toContain('connection.changed');
    off();
    await remote.close();
    remoteDir.cleanup();
  });

  it("makes the embedded server's first identity its administrator, and nobody after", async () => {
    const call = appClient(services);
    await call('identity.create', { displayName: 'Host' });
    await waitReady(services);
    const range = { from: Date.now() - 86_400_000, to: Date.now() + 1000 };
    expect(await call('analytics.dashboard', { range })).toMatchObject({
      source: 'server',
      canManage: true,
    });
    // A colleague's app on the same server (this computer's embedded one) may not manage.
    const otherDir = makeTempDir();
    const other = await startServices({
      dataDir: otherDir.dir,
      platform: createNodePlatform(),
      logger: silentLogger,
      host: 'web',
      serverUrlOverride: services.endpoint.embeddedServer()!.url,
    });
    try {
      const otherCall = appClient(other);
      await otherCall('identity.create', { displayName: 'Guest' });
      await waitReady(other);
      expect(await otherCall('analytics.dashboard', { range })).toMatchObject({
        source: 'local',
        canManage: false,
        localReason: 'not_admin',
      });
    } finally {
      await other.stop();
      otherDir.cleanup();
    }
  });

  it('stops cleanly and records a clean shutdown', async () => {
    await services.stop();
    const again = await startServices({
      dataDir: temp.dir,
      platform: createNodePlatform(),
      logger: silentLogger,
      host: 'web',
    });
    expect(again.previousRunUnclean).toBe(false);
    await again.stop();
  });
});
