/** The server's chat protocol spoken directly: auth, tokens, membership, idempotency, history. */
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import { silentLogger } from '../../src-shared/log';
import { authChallengeText } from '../../src-shared/protocol/entities';
import { makeTempDir } from '../support/temp-dir';
import { type FrameClient } from '../support/ws-client';
import {
  ask,
  challengeOf,
  connectHello,
  keyPair,
  signedIn as signedInAs,
  type Frame,
} from '../support/protocol-client';

describe('server chat protocol', () => {
  const temp = makeTempDir();
  let server: RunningServer;

  beforeAll(async () => {
    server = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: temp.dir, tokenTtlMs: 1500 },
      silentLogger,
    );
  });
  afterAll(async () => {
    await server.close();
    temp.cleanup();
  });

  const connect = () => connectHello(server.url);
  const signedIn = (name: string, key?: ReturnType<typeof keyPair>) =>
    signedInAs(server.url, name, key);

  it('refuses requests before sign-in and signatures that do not match the nonce', async () => {
    const opened = await connect();
    const { client } = opened;
    expect(await ask(client, { t: 'rooms.list' })).toMatchObject({
      t: 'error',
      code: 'unauthenticated',
    });
    const key = keyPair();
    const replayed = await ask(client, {
      t: 'auth',
      name: 'Mallory',
      publicKey: key.publicKey,
      signature: key.sign(
        authChallengeText({
          dialed: opened.dialed,
          serverKey: String(opened.welcome.serverKey),
          serverNonce: 'another-nonce',
          clientNonce: opened.clientNonce,
        }),
      ),
    });
    expect(replayed).toMatchObject({ t: 'error', code: 'auth_failed' });
    const other = keyPair();
    const wrongKey = await ask(client, {
      t: 'auth',
      name: 'Mallory',
      publicKey: key.publicKey,
      signature: other.sign(challengeOf(opened)),
    });
    expect(wrongKey).toMatchObject({ t: 'error', code: 'auth_failed' });
    client.close();
  });

  it('enforces membership, stores a resent message once, and serves history by range', async () => {
    const alice = await signedIn('Alice');
    const eve = await signedIn('Eve');
    const { room } = (await ask(alice.client, {
      t: 'room.create',
      name: 'Private',
    })) as unknown as {
      room: { id: string; inviteCode: string };
    };
    const send = (client: FrameClient, clientId: string, body: string) =>
      ask(client, { t: 'msg.send', roomId: room.id, clientId, body });

    expect(await send(eve.client, 'eve-00001', 'let me in')).toMatchObject({ code: 'not_member' });
    expect(await ask(eve.client, { t: 'history', roomId: room.id, limit: 10 })).toMatchObject({
      code: 'not_member',
    });

    const first = await send(alice.client, 'alice-0001', 'one');
    expect(first).toMatchObject({ t: 'ack', seq: 1, duplicate: false });
    const again = await send(alice.client, 'alice-0001', 'one');
    expect(again).toMatchObject({ t: 'ack', seq: 1, duplicate: true });
    for (let i = 2; i <= 5; i++) await send(alice.client, `alice-000${i}`, `m${i}`);

    await ask(eve.client, { t: 'room.join', code: room.inviteCode });
    const after = await ask(eve.client, { t: 'history', roomId: room.id, afterSeq: 2, limit: 2 });
    expect((after.messages as { seq: number }[]).map((m) => m.seq)).toEqual([3, 4]);
    const before = await ask(eve.client, { t: 'history', roomId: room.id, beforeSeq: 5, limit: 2 });
    expect((before.messages as { seq: number }[]).map((m) => m.seq)).toEqual([3, 4]);
    expect(before).toMatchObject({ lastSeq: 5, more: false });

    // A live push reaches the new member.
    await send(alice.client, 'alice-0006', 'welcome, Eve');
    expect(await eve.client.next<Frame>((f) => f.t === 'msg')).toMatchObject({
      message: { seq: 6, body: 'welcome, Eve', senderId: alice.userId },
    });
    alice.client.close();
    eve.client.close();
  });

  it('cuts history pages by size and says there is more', async () => {
    const bob = await signedIn('Bob');
    const { room } = (await ask(bob.client, { t: 'room.create', name: 'Big' })) as unknown as {
      room: { id: string };
    };
    const body = 'ж'.repeat(4000);
    for (let i = 0; i < 80; i++)
      await ask(bob.client, { t: 'msg.send', roomId: room.id, clientId: `big-${1000 + i}`, body });
    const page = await ask(bob.client, { t: 'history', roomId: room.id, afterSeq: 0, limit: 500 });
    const got = page.messages as { seq: number }[];
    expect(page.more).toBe(true);
    expect(got.length).toBeLessThan(80);
    expect(got[0]!.seq).toBe(1);
    expect(JSON.stringify(page).length).toBeLessThan(300 * 1024);
    bob.client.close();
  });

  it('expires tokens, refreshes them, and resumes a session with one', async () => {
    const carol = await signedIn('Carol');
    const refreshed = await ask(carol.client, { t: 'auth.refresh' });
    expect(refreshed).toMatchObject({ t: 'authed', userId: carol.userId });
    const { client } = await connect();
    expect(await ask(client, { t: 'auth.token', token: String(refreshed.token) })).toMatchObject({
      t: 'authed',
      userId: carol.userId,
    });
    expect(await ask(client, { t: 'auth.token', token: `${refreshed.token}x` })).toMatchObject({
      code: 'auth_failed',
    });
    await new Promise((r) => setTimeout(r, 1600));
    expect(await ask(carol.client, { t: 'rooms.list' })).toMatchObject({ code: 'token_expired' });
    const { client: late } = await connect();
    expect(await ask(late, { t: 'auth.token', token: carol.token })).toMatchObject({
      code: 'token_expired',
    });
    carol.client.close();
    client.close();
    late.close();
  });
});
