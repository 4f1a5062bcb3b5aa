/**
 * Read positions on a real server: kept per member, so one user's sessions agree on what is
 * unread (also after reading offline), and others see how far each member has read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createNodePlatform } from '../../src-main/platform/node-platform';
import { startServices, type Services } from '../../src-main/services/container';
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import { silentLogger } from '../../src-shared/log';
import { appClient, waitReady, type AppCall } from '../support/app-client';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/ws-client';

describe('read positions across sessions', () => {
  const temp = makeTempDir();
  let server: RunningServer;
  const apps: Services[] = [];

  const startServer = (port = 0) =>
    startSignalingServer(
      { host: '127.0.0.1', port, dataDir: path.join(temp.dir, 'server') },
      silentLogger,
    );
  const startApp = async (name: string) => {
    const app = await startServices({
      dataDir: path.join(temp.dir, name),
      platform: createNodePlatform(),
      logger: silentLogger,
      host: 'web',
      serverUrlOverride: server.url,
    });
    apps.push(app);
    return app;
  };
  const unread = async (call: AppCall, roomId: string) =>
    (await call('rooms.list')).find((r) => r.id === roomId)?.unread;
  const readSeqOf = async (call: AppCall, roomId: string, userId: string) =>
    (await call('rooms.list'))
      .find((r) => r.id === roomId)
      ?.members.find((m) => m.userId === userId)?.readSeq;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await server?.close();
    temp.cleanup();
  });

  it('keeps unread counts in step between two sessions of one user, and shows others how far each has read', async () => {
    // Anna's second session is a copy of her first (same key), as on a second computer.
    let anna1 = await startApp('anna1');
    await appClient(anna1)('identity.create', { displayName: 'Anna' });
    await waitReady(anna1);
    await anna1.stop();
    apps.splice(apps.indexOf(anna1), 1);
    fs.cpSync(path.join(temp.dir, 'anna1'), path.join(temp.dir, 'anna2'), { recursive: true });
    anna1 = await startApp('anna1');
    const anna2 = await startApp('anna2');
    const boris = await startApp('boris');
    const [a1, a2, b] = [appClient(anna1), appClient(anna2), appClient(boris)];
    await b('identity.create', { displayName: 'Boris' });
    await Promise.all([waitReady(anna1), waitReady(anna2), waitReady(boris)]);
    const annaId = (await a1('identity.get'))!.userId;
    expect((await a2('identity.get'))!.userId).toBe(annaId);

    const room = await b('rooms.create', { name: 'Reading' });
    await a1('rooms.join', { code: room.inviteCode! });
    await waitFor(async () => (await a2('rooms.list')).some((r) => r.id === room.id), 10_000);
    for (const body of ['one', 'two', 'three']) await b('messages.send', { roomId: room.id, body });
    await waitFor(async () => (await unread(a1, room.id)) === 3, 10_000, 'three unread at 1');
    await waitFor(async () => (await unread(a2, room.id)) === 3, 10_000, 'three unread at 2');

    // Read in one session: the other's count clears, and Boris sees how far Anna read.
    await a1('rooms.markRead', { roomId: room.id });
    await waitFor(async () => (await unread(a2, room.id)) === 0, 10_000, 'read at 2');
    await waitFor(async () => (await readSeqOf(b, room.id, annaId)) === 3, 10_000, 'seen at B');

    // Read offline: reported when the server is back; the other session follows.
    await b('messages.send', { roomId: room.id, body: 'four' });
    await waitFor(async () => (await unread(a2, room.id)) === 1, 10_000, 'four at 2');
    await waitFor(async () => (await unread(a1, room.id)) === 1, 10_000, 'four at 1');
    const port = server.port;
    await server.close();
    await waitFor(() => anna2.sync.status().phase === 'offline', 10_000, 'offline');
    await a2('rooms.markRead', { roomId: room.id });
    expect(await unread(a2, room.id)).toBe(0);
    expect(await unread(a1, room.id)).toBe(1);
    server = await startServer(port);
    await waitFor(async () => (await unread(a1, room.id)) === 0, 15_000, 'offline read at 1');
    await waitFor(async () => (await readSeqOf(b, room.id, annaId)) === 4, 10_000, 'seen 4');

    // A position never moves back, nor past the room's last message.
    const raw = await boris.sync['connection'].request({ t: 'read', roomId: room.id, seq: 99 });
    expect(raw.t).toBe('ok');
    const borisId = (await b('identity.get'))!.userId;
    await waitFor(async () => (await readSeqOf(a1, room.id, borisId)) === 4, 10_000, 'capped');
  });
});
