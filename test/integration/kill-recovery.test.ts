/**
 * Nothing lost, nothing twice, under SIGKILL. Real processes: the server and two browser hosts
 * (the app's services in Node) talking over loopback. First the server is killed and restarted
 * repeatedly while one user sends 2,000 messages and the other receives; then the sending app
 * itself is killed and restarted mid-send. Afterwards every store (both clients' SQLite files and
 * the server's) holds exactly the 2,000 messages, each once, in send order.
 */
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { connectBridge, type BridgeClient } from '../support/bridge-client';
import { startServer, startWebHost, type ChildService } from '../support/processes';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/ws-client';

const COUNT = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface App {
  host: ChildService;
  api: BridgeClient;
  dir: string;
}

describe('recovery from killed processes', () => {
  const temp = makeTempDir();
  const serverDir = path.join(temp.dir, 'server');
  let server: ChildService;
  let port: string;
  let serverUrl: string;
  let sender: App;
  let receiver: App;

  async function startApp(name: string): Promise<App> {
    const dir = path.join(temp.dir, name);
    const host = await startWebHost(dir, ['--server', serverUrl]);
    return { host, api: await connectBridge(host.url), dir };
  }
  // A server restarted by the previous test may find an app still waiting out its reconnect
  // backoff (up to 30 s), so this waits past that.
  const ready = (app: App) =>
    waitFor(
      async () => (await app.api.call('sync.status')).phase === 'ready',
      45_000,
      'signed in and synced',
    ).catch((e: Error) => fail(e, app));
  async function restartServer(): Promise<void> {
    server = await startServer(serverDir, ['--port', port]);
  }

  beforeAll(async () => {
    server = await startServer(serverDir);
    serverUrl = server.url;
    port = new URL(server.url).port;
    sender = await startApp('sender');
    receiver = await startApp('receiver');
    await sender.api.call('identity.create', { displayName: 'Sender' });
    await receiver.api.call('identity.create', { displayName: 'Receiver' });
    await ready(sender);
    await ready(receiver);
  });
  afterAll(async () => {
    for (const app of [sender, receiver]) {
      app?.api.close();
      await app?.host.stop();
    }
    await server?.stop();
    temp.cleanup();
  });

  /** Creating and joining a room need the server, so both apps are online first. */
  async function newRoom(name: string): Promise<string> {
    await ready(sender);
    await ready(receiver);
    const room = await sender.api.call('rooms.create', { name });
    await receiver.api.call('rooms.join', { code: room.inviteCode! });
    return room.id;
  }

  /** Every message of the room in one client store, in seq order (the stores are read directly). */
  function storedIn(file: string, roomId: string) {
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      return db
        .prepare(
          'SELECT body, client_id AS clientId, seq, state FROM messages WHERE room_id = ? ORDER BY seq',
        )
        .all(roomId) as { body: string; clientId: string; seq: number | null; state: string }[];
    } finally {
      db.close();
    }
  }

  /** Adds what the app knows about its state to a timeout, so that a failure in CI can be read. */
  async function fail(error: Error, app: App): Promise<never> {
    const db = new BetterSqlite3(path.join(app.dir, 'beseda.db'), { readonly: true });
    const rooms = db.prepare('SELECT id, last_seq, synced_seq FROM rooms').all();
    db.close();
    const state = {
      sync: await app.api.call('sync.status'),
      connection: await app.api.call('connection.status'),
      rooms,
      log: app.host
        .log()
        .split('\n')
        .filter((l) => !l.includes('"level":"info"'))
        .slice(-20),
    };
    error.message += `\n${JSON.stringify(state, null, 1)}`;
    throw error;
  }

  async function expectAllDelivered(roomId: string, prefix: string): Promise<void> {
    await waitFor(
      async () => (await sender.api.call('sync.status')).outbox === 0,
      60_000,
      'sender outbox empty',
    ).catch((e: Error) => fail(e, sender));
    await waitFor(
      async () =>
        (await receiver.api.call('rooms.list')).find((r) => r.id === roomId)?.unread === COUNT,
      60_000,
      `receiver has ${COUNT} unread`,
    ).catch((e: Error) => fail(e, receiver));
    const expected = Array.from({ length: COUNT }, (_, i) => `${prefix} ${i}`);
    const serverDb = new BetterSqlite3(path.join(serverDir, 'server.db'), { readonly: true });
    const onServer = serverDb
      .prepare('SELECT body, seq FROM messages WHERE room_id = ? ORDER BY seq')
      .all(roomId) as { body: string; seq: number }[];
    serverDb.close();
    expect(onServer.map((m) => m.body)).toEqual(expected);
    expect(onServer.map((m) => m.seq)).toEqual(expected.map((_, i) => i + 1));
    for (const app of [sender, receiver]) {
      const rows = storedIn(path.join(app.dir, 'beseda.db'), roomId);
      expect(rows.map((r) => r.body)).toEqual(expected);
      expect(new Set(rows.map((r) => r.clientId)).size).toBe(COUNT);
      expect(rows.every((r) => r.state === 'sent')).toBe(true);
    }
  }

  it('server killed (SIGKILL) over and over during 2,000 sends', async () => {
    const roomId = await newRoom('server kills');
    let kills = 0;
    let sending = true;
    const killer = (async () => {
      while (sending || kills < 5) {
        await sleep(250 + Math.random() * 250);
        await server.stop('SIGKILL');
        kills++;
        await sleep(100 + Math.random() * 300);
        await restartServer();
      }
    })();
    // Paced like a person typing fast in bursts, so that kills land in the middle of it.
    for (let i = 0; i < COUNT; i++) {
      await sender.api.call('messages.send', { roomId, body: `server-kill ${i}` });
      if (i % 50 === 49) await sleep(40);
    }
    sending = false;
    await killer;
    expect(kills).toBeGreaterThanOrEqual(5);
    await expectAllDelivered(roomId, 'server-kill');
  }, 180_000);

  it('sending app killed (SIGKILL) and restarted mid-send, three times', async () => {
    const roomId = await newRoom('client kills');
    const killAt = new Set([300, 900, 1500]);
    let i = 0;
    while (i < COUNT) {
      if (killAt.has(i)) {
        killAt.delete(i);
        // Kill while calls are in flight: fire a few without waiting, then kill.
        for (let j = i; j < i + 10; j++)
          void sender.api
            .call('messages.send', {
              roomId,
              body: `client-kill ${j}`,
              clientId: `ck-${String(j).padStart(6, '0')}`,
            })
            .catch(() => undefined);
        await sender.host.stop('SIGKILL');
        sender.api.close();
        sender = await startApp('sender');
        continue; // resend from i: same clientIds, so the ones that made it are not doubled
      }
      try {
        await sender.api.call('messages.send', {
          roomId,
          body: `client-kill ${i}`,
          clientId: `ck-${String(i).padStart(6, '0')}`,
        });
        i++;
      } catch {
        await sleep(50);
      }
    }
    await expectAllDelivered(roomId, 'client-kill');
  }, 180_000);

  it('server killed over and over while both sides edit and react: none lost, none doubled', async () => {
    const roomId = await newRoom('actions under kills');
    const N = 200;
    const sent: string[] = [];
    for (let i = 0; i < N; i++)
      sent.push((await sender.api.call('messages.send', { roomId, body: `act ${i}` })).clientId);
    await waitFor(
      async () =>
        (await receiver.api.call('rooms.list')).find((r) => r.id === roomId)?.unread === N,
      60_000,
      `receiver has ${N} messages`,
    ).catch((e: Error) => fail(e, receiver));

    let kills = 0;
    let acting = true;
    const killer = (async () => {
      while (acting || kills < 3) {
        await sleep(250 + Math.random() * 250);
        await server.stop('SIGKILL');
        kills++;
        await sleep(100 + Math.random() * 300);
        await restartServer();
      }
    })();
    // Each message: its sender edits it twice and reacts; the receiver reacts, takes it back
    // and reacts with another. Calls go to each app's store (offline or not) and out in order.
    for (let i = 0; i < N; i++) {
      const clientId = sent[i]!;
      await sender.api.call('messages.edit', { clientId, body: `act ${i} draft` });
      await receiver.api.call('messages.react', { clientId, emoji: '👍', on: true });
      await sender.api.call('messages.edit', { clientId, body: `act ${i} final` });
      await receiver.api.call('messages.react', { clientId, emoji: '👍', on: false });
      await sender.api.call('messages.react', { clientId, emoji: '🎉', on: true });
      await receiver.api.call('messages.react', { clientId, emoji: '👀', on: true });
      if (i % 20 === 19) await sleep(40);
    }
    acting = false;
    await killer;
    expect(kills).toBeGreaterThanOrEqual(3);
    for (const app of [sender, receiver])
      await waitFor(
        async () => (await app.api.call('sync.status')).outbox === 0,
        60_000,
        'outbox empty',
      ).catch((e: Error) => fail(e, app));

    // The server holds each action once: 2 edits and 4 reactions per message, after it.
    const serverDb = new BetterSqlite3(path.join(serverDir, 'server.db'), { readonly: true });
    const counts = serverDb
      .prepare(
        `SELECT kind, count(*) AS n, count(DISTINCT sender_id || client_id) AS distinctIds
         FROM messages WHERE room_id = ? GROUP BY kind ORDER BY kind`,
      )
      .all(roomId);
    serverDb.close();
    expect(counts).toEqual([
      { kind: 'edit', n: 2 * N, distinctIds: 2 * N },
      { kind: 'react', n: 3 * N, distinctIds: 3 * N },
      { kind: 'text', n: N, distinctIds: N },
      { kind: 'unreact', n: N, distinctIds: N },
    ]);
    // Both apps read every message the same way: the last edit, and the reactions left standing.
    const expected = sent.map((_, i) => ({
      body: `act ${i} final`,
      reactions: [
        { emoji: '👀', count: 1 },
        { emoji: '🎉', count: 1 },
      ].sort((a, b) => a.emoji.localeCompare(b.emoji)),
    }));
    const seen: unknown[] = [];
    for (const app of [sender, receiver]) {
      await waitFor(
        async () => {
          const page = await app.api.call('messages.page', { roomId, limit: N });
          return page.messages.filter((m) => m.body.endsWith('final')).length === N;
        },
        60_000,
        'every edit arrived',
      ).catch((e: Error) => fail(e, app));
      const page = await app.api.call('messages.page', { roomId, limit: N });
      const read = page.messages.map((m) => ({
        body: m.body,
        reactions: m.reactions.map((r) => ({ emoji: r.emoji, count: r.count })),
      }));
      seen.push(read);
      // Which of two people's reactions came first is the server's order of arrival.
      const sorted = read.map((m) => ({
        ...m,
        reactions: [...m.reactions].sort((a, b) => a.emoji.localeCompare(b.emoji)),
      }));
      expect(sorted).toEqual(expected);
    }
    // ...and both apps folded them in that same order.
    expect(seen[0]).toEqual(seen[1]);
  }, 240_000);
});
