/**
 * Two app instances (real services, real SQLite) and one real server: identity, rooms by invite,
 * messages both ways, offline sending with delivery on reconnect, direct conversations, search,
 * presence, leaving.
 */
import path from 'node:path';
import { createNodePlatform } from '../../src-main/platform/node-platform';
import { startServices, type Services } from '../../src-main/services/container';
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import { silentLogger } from '../../src-shared/log';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../src-shared/ipc/chat-types';
import { appClient, waitReady, type AppCall } from '../support/app-client';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/ws-client';

describe('chat between two app instances', () => {
  const temp = makeTempDir();
  let server: RunningServer;
  let port: number;
  let alice: Services;
  let bob: Services;
  let a: AppCall;
  let b: AppCall;
  let roomId: string;

  const startServer = async (p = 0) =>
    startSignalingServer(
      { host: '127.0.0.1', port: p, dataDir: path.join(temp.dir, 'server') },
      silentLogger,
    );
  const startApp = (name: string) =>
    startServices({
      dataDir: path.join(temp.dir, name),
      platform: createNodePlatform(),
      logger: silentLogger,
      host: 'web',
      serverUrlOverride: server.url,
    });
  const bodies = async (call: AppCall, room: string) =>
    (await call('messages.page', { roomId: room, limit: 200 })).messages.map((m) => m.body);

  beforeAll(async () => {
    server = await startServer();
    port = server.port;
    alice = await startApp('alice');
    bob = await startApp('bob');
    a = appClient(alice);
    b = appClient(bob);
  });
  afterAll(async () => {
    await alice?.stop();
    await bob?.stop();
    await server?.close();
    temp.cleanup();
  });

  it('creates an identity on first start; the private key stays in main', async () => {
    expect(await a('identity.get')).toBeNull();
    expect(alice.sync.status().phase).toBe('no_identity');
    const identity = await a('identity.create', { displayName: 'Алиса' });
    expect(identity.userId).toMatch(/^u_[0-9a-f]{32}$/);
    expect(Object.keys(identity).sort()).toEqual([
      'createdAt',
      'displayName',
      'fingerprint',
      'publicKey',
      'userId',
    ]);
    await b('identity.create', { displayName: 'Bob' });
    await waitReady(alice);
    await waitReady(bob);
    expect(server.onlineUsers()).toBe(2);
  });

  it('creates a room, and the other joins it with the invite link', async () => {
    const room = await a('rooms.create', { name: 'Команда' });
    roomId = room.id;
    expect(room.inviteCode).toMatch(/^[A-HJ-NP-Z2-9]{12}$/);
    await expect(b('rooms.join', { code: 'ABCDEFGH' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(b('rooms.join', { code: 'not even close' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const joined = await b('rooms.join', { code: `beseda://join/${room.inviteCode}` });
    expect(joined.id).toBe(roomId);
    await waitFor(
      async () => (await a('rooms.list'))[0]?.members.length === 2,
      5000,
      'alice sees bob as a member',
    );
    const members = (await a('rooms.list'))[0]!.members;
    expect(members.map((m) => [m.name, m.presence]).sort()).toEqual([
      ['Bob', 'online'],
      ['Алиса', 'online'],
    ]);
  });

  it('delivers messages both ways with seqs, unread counts and read marks', async () => {
    const sent = await a('messages.send', { roomId, body: 'Привет, Боб! Как дела?' });
    expect(sent.state).toBe('pending');
    await waitFor(async () => (await bodies(b, roomId)).length === 1, 5000, 'bob receives');
    const [received] = (await b('messages.page', { roomId, limit: 50 })).messages;
    expect(received).toMatchObject({ state: 'sent', seq: 1, senderName: 'Алиса' });
    expect((await b('rooms.list'))[0]!.unread).toBe(1);
    await b('rooms.markRead', { roomId });
    expect((await b('rooms.list'))[0]!.unread).toBe(0);
    await waitFor(
      async () => (await a('messages.page', { roomId, limit: 5 })).messages[0]?.state === 'sent',
      5000,
      'alice sees her message sent',
    );
    await b('messages.send', { roomId, body: 'Hi Alice, all good' });
    await waitFor(async () => (await bodies(a, roomId)).length === 2, 5000, 'alice receives');
  });

  it('sends offline: pending while the server is down, delivered once and in order after', async () => {
    await server.close();
    await waitFor(() => alice.connection.status().state !== 'online', 3000, 'alice offline');
    const offline = ['one', 'two', 'three'].map((w) => `offline ${w}`);
    // The sidebar's count of waiting messages follows the outbox as it grows, offline too.
    const outboxSeen: number[] = [];
    const off = alice.events.subscribe((name, payload) => {
      if (name === 'sync.changed') outboxSeen.push((payload as { outbox: number }).outbox);
    });
    for (const body of offline) await a('messages.send', { roomId, body });
    await waitFor(() => outboxSeen.includes(3), 2000, 'the outbox count pushed');
    off();
    const page = await a('messages.page', { roomId, limit: 50 });
    expect(page.messages.slice(-3).map((m) => m.state)).toEqual(['pending', 'pending', 'pending']);
    expect(alice.sync.status()).toMatchObject({ phase: 'offline', outbox: 3 });
    await expect(a('rooms.create', { name: 'x' })).rejects.toMatchObject({ code: 'offline' });

    server = await startServer(port);
    alice.connection.reconnectNow();
    bob.connection.reconnectNow();
    await waitFor(() => alice.sync.status().outbox === 0, 10_000, 'outbox drained');
    await waitFor(async () => (await bodies(b, roomId)).length === 5, 10_000, 'bob catches up');
    const bobSees = (await b('messages.page', { roomId, limit: 50 })).messages;
    expect(bobSees.map((m) => m.body).slice(-3)).toEqual(offline);
    expect(bobSees.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(
      (await a('messages.page', { roomId, limit: 50 })).messages.every((m) => m.state === 'sent'),
    ).toBe(true);
  });

  it('finds messages by full-text search in Russian and English, highlighted', async () => {
    const ru = await b('messages.search', { query: 'боб дел' });
    expect(ru).toHaveLength(1);
    expect(ru[0]!.roomName).toBe('Команда');
    expect(ru[0]!.snippet).toBe(
      `Привет, ${HIGHLIGHT_START}Боб${HIGHLIGHT_END}! Как ${HIGHLIGHT_START}дела${HIGHLIGHT_END}?`,
    );
    const en = await a('messages.search', { query: 'ALICE good' });
    expect(en.map((h) => h.message.body)).toEqual(['Hi Alice, all good']);
    expect(await a('messages.search', { query: '"; DROP TABLE messages; --' })).toEqual([]);
  });

  it('opens a direct conversation named after the other person', async () => {
    const bobId = (await b('identity.get'))!.userId;
    const direct = await a('rooms.openDirect', { userId: bobId });
    expect(direct).toMatchObject({ kind: 'direct', name: 'Bob', inviteCode: null });
    await a('messages.send', { roomId: direct.id, body: 'just between us' });
    await waitFor(
      async () => (await b('rooms.list')).find((r) => r.id === direct.id)?.name === 'Алиса',
      5000,
      'bob gets the direct room',
    );
    await waitFor(async () => (await bodies(b, direct.id)).length === 1, 5000, 'direct message');
  });

  it('shows presence changes and leaving', async () => {
    const bobId = (await b('identity.get'))!.userId;
    const bobIn = async () =>
      (await a('rooms.list')).find((r) => r.id === roomId)!.members.find((m) => m.userId === bobId);
    await b('presence.set', { presence: 'away' });
    await waitFor(async () => (await bobIn())?.presence === 'away', 5000, 'bob away');
    await b('rooms.leave', { roomId });
    await waitFor(async () => !(await bobIn()), 5000, 'bob gone from the members');
    expect((await b('rooms.list')).some((r) => r.id === roomId)).toBe(false);
    await expect(b('messages.send', { roomId, body: 'still here?' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses a body over the limit before anything is stored', async () => {
    await expect(a('messages.send', { roomId, body: 'x'.repeat(4001) })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(alice.sync.status().outbox).toBe(0);
  });
});
