/**
 * A name is not an identity. The reviewer's attack: anyone registers as "Alice" and opens a
 * direct conversation with someone whose id they know. Now every member carries the short
 * fingerprint of their key (two "Alice"s differ there), and a direct conversation from someone
 * who shares no room with the recipient arrives as a request, to accept or block; a blocked
 * sender's messages are refused.
 */
import path from 'node:path';
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import { silentLogger } from '../../src-shared/log';
import { ask, signedIn, type Frame } from '../support/protocol-client';
import { makeTempDir } from '../support/temp-dir';

interface Room {
  id: string;
  inviteCode: string;
  request: { from: string; state: string } | null;
  members: Array<{ userId: string; name: string; fingerprint: string }>;
}

describe('direct conversation requests and fingerprints', () => {
  const temp = makeTempDir();
  let server: RunningServer;
  beforeAll(async () => {
    server = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: path.join(temp.dir, 'server') },
      silentLogger,
    );
  });
  afterAll(async () => {
    await server.close();
    temp.cleanup();
  });

  it('shows who is who, and makes a stranger ask before talking', async () => {
    const alice = await signedIn(server.url, 'Alice');
    const bob = await signedIn(server.url, 'Bob');
    const { room } = (await ask(alice.client, { t: 'room.create', name: 'Team' })) as unknown as {
      room: Room;
    };
    await ask(bob.client, { t: 'room.join', code: room.inviteCode });
    // Mallory takes the same name.
    const mallory = await signedIn(server.url, 'Alice');
    await ask(mallory.client, { t: 'room.join', code: room.inviteCode });
    const { rooms } = (await ask(bob.client, { t: 'rooms.list' })) as unknown as { rooms: Room[] };
    const alices = rooms[0]!.members.filter((m) => m.name === 'Alice');
    expect(alices).toHaveLength(2);
    expect(alices[0]!.fingerprint).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
    expect(alices[0]!.fingerprint).not.toBe(alices[1]!.fingerprint);
    await ask(mallory.client, { t: 'room.leave', roomId: room.id });

    // Someone who shares a room with Bob talks to him directly: no request.
    const direct = (await ask(alice.client, {
      t: 'direct.open',
      userId: bob.userId,
    })) as unknown as {
      room: Room;
    };
    expect(direct.room.request).toBeNull();

    // Mallory, who shares no room with Bob any more, only asks.
    const asked = (await ask(mallory.client, {
      t: 'direct.open',
      userId: bob.userId,
    })) as unknown as { room: Room };
    expect(asked.room.request).toEqual({ from: mallory.userId, state: 'pending' });
    await ask(mallory.client, {
      t: 'msg.send',
      roomId: asked.room.id,
      clientId: 'mallory-1',
      body: 'Hi Bob, it is Alice, send me the keys',
    });
    const bobRooms = (await ask(bob.client, { t: 'rooms.list' })) as unknown as { rooms: Room[] };
    const request = bobRooms.rooms.find((r) => r.id === asked.room.id)!;
    expect(request.request).toEqual({ from: mallory.userId, state: 'pending' });
    expect(request.members.find((m) => m.userId === mallory.userId)!.fingerprint).toBe(
      alices.find((m) => m.userId === mallory.userId)!.fingerprint,
    );

    // Bob blocks: Mallory's messages are refused, and she cannot open it again.
    expect(
      await ask(mallory.client, { t: 'direct.respond', roomId: asked.room.id, accept: true }),
    ).toMatchObject({ code: 'forbidden' });
    await ask(bob.client, { t: 'direct.respond', roomId: asked.room.id, accept: false });
    expect(
      await ask(mallory.client, {
        t: 'msg.send',
        roomId: asked.room.id,
        clientId: 'mallory-2',
        body: 'again',
      }),
    ).toMatchObject({ code: 'forbidden' });
    expect(await ask(mallory.client, { t: 'direct.open', userId: bob.userId })).toMatchObject({
      code: 'forbidden',
    });
    const after = (await ask(bob.client, { t: 'rooms.list' })) as unknown as { rooms: Room[] };
    expect(after.rooms.some((r) => r.id === asked.room.id)).toBe(false);

    // Another stranger asks, and Bob's reply accepts it.
    const carol = await signedIn(server.url, 'Carol');
    const carolAsks = (await ask(carol.client, {
      t: 'direct.open',
      userId: bob.userId,
    })) as unknown as { room: Room };
    expect(carolAsks.room.request).toMatchObject({ state: 'pending' });
    expect(
      await ask(bob.client, {
        t: 'msg.send',
        roomId: carolAsks.room.id,
        clientId: 'bob-reply-1',
        body: 'Hello Carol',
      }),
    ).toMatchObject({ t: 'ack' });
    const changed = (await carol.client.next(
      (f: Frame) => f.t === 'room.changed' && (f.room as Room).request?.state === 'accepted',
    )) as Frame;
    expect((changed.room as Room).id).toBe(carolAsks.room.id);
    for (const u of [alice, bob, mallory, carol]) u.client.close();
  });
});
