import { ServerConnection } from '../../src-main/services/sync/server-connection';
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import type { ConnectionStatus } from '../../src-shared/ipc/types';
import { silentLogger } from '../../src-shared/log';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/ws-client';

/** These tests are about reconnecting; identity pinning has tests of its own. */
const trustAll = () => ({ state: 'pinned' as const, fingerprint: 'test' });

describe('ServerConnection against the real server', () => {
  const temp = makeTempDir();
  let server: RunningServer;
  let connection: ServerConnection;
  const history: ConnectionStatus['state'][] = [];

  beforeAll(async () => {
    server = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: temp.dir },
      silentLogger,
    );
    connection = new ServerConnection({
      clientInfo: { name: 'test', version: '1' },
      logger: silentLogger,
      checkIdentity: trustAll,
      backoff: { baseMs: 50, maxMs: 200 },
      pingIntervalMs: 100,
    });
    connection.onStatus((s) => {
      if (history[history.length - 1] !== s.state) history.push(s.state);
    });
  });
  afterAll(async () => {
    connection.close();
    await server.close();
    temp.cleanup();
  });

  it('comes online, learns the server id and measures round trips', async () => {
    connection.connect({ url: server.url, embedded: false, source: 'settings' });
    await waitFor(() => connection.status().state === 'online', 3000, 'online');
    expect(connection.status()).toMatchObject({
      url: server.url,
      serverId: server.serverId,
      source: 'settings',
    });
    await waitFor(() => connection.status().rttMs !== null, 3000, 'a pong');
    expect(connection.status().rttMs).toBeLessThan(1000);
  });

  it('goes offline when the server stops and back online when it returns on the same port', async () => {
    const port = server.port;
    await server.close();
    await waitFor(() => connection.status().state !== 'online', 2000, 'offline');
    expect(connection.status().rttMs).toBeNull();
    server = await startSignalingServer(
      { host: '127.0.0.1', port, dataDir: temp.dir },
      silentLogger,
    );
    await waitFor(() => connection.status().state === 'online', 5000, 'back online');
    expect(history.slice(0, 5)).toEqual([
      'offline',
      'connecting',
      'online',
      'offline',
      'connecting',
    ]);
    expect(history[history.length - 1]).toBe('online');
  });

  it('keeps retrying an address where nothing listens, then stops when closed', async () => {
    const lonely = new ServerConnection({
      clientInfo: { name: 't', version: '1' },
      logger: silentLogger,
      checkIdentity: trustAll,
      backoff: { baseMs: 20, maxMs: 40 },
    });
    const states: string[] = [];
    lonely.onStatus((s) => states.push(s.state));
    lonely.connect({ url: 'ws://127.0.0.1:1/ws', embedded: false, source: 'settings' });
    await waitFor(
      () => states.filter((s) => s === 'connecting').length >= 3,
      3000,
      'three attempts',
    );
    lonely.close();
    const count = states.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(states.length).toBe(count);
    expect(lonely.status()).toMatchObject({
      state: 'offline',
      lastError: expect.stringContaining('refused the connection'),
    });
  });

  it('fails over to the next server when the first is down, and returns when it is back', async () => {
    const dirs = [makeTempDir(), makeTempDir()];
    let primary = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: dirs[0]!.dir },
      silentLogger,
    );
    const port = Number(new URL(primary.url).port);
    const backup = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: dirs[1]!.dir },
      silentLogger,
    );
    const failover = new ServerConnection({
      clientInfo: { name: 'test', version: '1' },
      logger: silentLogger,
      checkIdentity: trustAll,
      backoff: { baseMs: 50, maxMs: 200 },
      pingIntervalMs: 100,
      primaryProbeMs: 100,
    });
    const servers: Array<string | null> = [];
    failover.onStatus((s) => {
      if (s.state === 'online' && servers.at(-1) !== s.serverId) servers.push(s.serverId);
    });
    failover.connect({
      url: primary.url,
      embedded: false,
      source: 'settings',
      fallbacks: [backup.url],
    });
    await waitFor(() => failover.status().serverId === primary.serverId, 3000, 'on the first');
    const firstId = primary.serverId;
    await primary.close();
    await waitFor(() => failover.status().serverId === backup.serverId, 3000, 'failed over');
    expect(failover.status()).toMatchObject({ state: 'online', url: backup.url });
    // Back on the same address: the probe notices and the connection returns to it.
    primary = await startSignalingServer(
      { host: '127.0.0.1', port, dataDir: dirs[0]!.dir },
      silentLogger,
    );
    await waitFor(
      () => failover.status().url === primary.url && failover.status().state === 'online',
      3000,
      'returned to the first',
    );
    expect(servers).toEqual([firstId, backup.serverId, primary.serverId]);
    failover.close();
    await primary.close();
    await backup.close();
    dirs.forEach((d) => d.cleanup());
  });

  it('drops a session token the server refuses at the upgrade and connects without it', async () => {
    const other = new ServerConnection({
      clientInfo: { name: 'test', version: '1' },
      logger: silentLogger,
      checkIdentity: trustAll,
      backoff: { baseMs: 50, maxMs: 200 },
    });
    other.useUpgradeToken({
      value: 'stale.token',
      expiresAt: Date.now() + 60_000,
      url: server.url,
    });
    other.connect({ url: server.url, embedded: false, source: 'settings' });
    await waitFor(() => other.status().state === 'online', 3000, 'online without the token');
    other.close();
  });

  it('retries after the server refuses the upgrade (HTTP 429) and connects once it has room', async () => {
    const dir = makeTempDir();
    const busy = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: dir.dir, maxConnectionsPerAddress: 1 },
      silentLogger,
    );
    const occupant = new ServerConnection({
      clientInfo: { name: 'a', version: '1' },
      logger: silentLogger,
      checkIdentity: trustAll,
    });
    occupant.connect({ url: busy.url, embedded: false, source: 'settings' });
    await waitFor(() => occupant.status().state === 'online', 3000, 'occupant online');
    const refused = new ServerConnection({
      clientInfo: { name: 'b', version: '1' },
      logger: silentLogger,
      checkIdentity: trustAll,
      backoff: { baseMs: 50, maxMs: 200 },
    });
    refused.connect({ url: busy.url, embedded: false, source: 'settings' });
    await waitFor(
      () => refused.status().lastError === 'the server refused the connection (HTTP 429)',
      3000,
      'refusal reported',
    );
    occupant.close();
    await waitFor(() => refused.status().state === 'online', 3000, 'online once there is room');
    refused.close();
    await busy.close();
    dir.cleanup();
  });
});
