/**
 * Actions on messages at the server (protocol 6): edits, deletes, reactions and replies take the
 * room's seq like messages, a resend is acknowledged once, and the server decides who may do
 * what: only the sender edits, the sender or the room's owner deletes, nobody acts on a message
 * of another room or on a deleted one, and a body must fit its kind.
 */
import path from 'node:path';
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import { silentLogger } from '../../src-shared/log';
import { ask, signedIn, type Frame } from '../support/protocol-client';
import { makeTempDir } from '../support/temp-dir';

describe('actions on messages at the server', () => {
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

  let next = 0;
  const id = () => `client-${String(++next).padStart(6, '0')}`;

  it('orders actions by seq, acknowledges a resend once, and enforces who may do what', async () => {
    const owner = await signedIn(server.url, 'Owner');
    const anna = await signedIn(server.url, 'Anna');
    const { room } = (await ask(owner.client, { t: 'room.create', name: 'Plans' })) as Frame & {
      room: { id: string; inviteCode: string };
    };
    const { room: other } = (await ask(owner.client, {
      t: 'room.create',
      name: 'Other',
    })) as Frame & { room: { id: string } };
    await ask(anna.client, { t: 'room.join', code: room.inviteCode });
    const send = (who: typeof owner, frame: Record<string, unknown>) =>
      ask(who.client, { t: 'msg.send', roomId: room.id, clientId: id(), ...frame });

    const annaSays = await send(anna, { body: 'from Anna' });
    const ownerSays = await send(owner, { body: 'from the owner' });
    const target = String(annaSays.clientId);
    expect(annaSays).toMatchObject({ t: 'ack', seq: 1 });

    const edit = { kind: 'edit', target, body: 'from Anna, edited', clientId: id() };
    expect(await ask(anna.client, { t: 'msg.send', roomId: room.id, ...edit })).toMatchObject({
      t: 'ack',
      seq: 3,
      duplicate: false,
    });
    // The same action sent again: the same seq, not stored twice.
    expect(await ask(anna.client, { t: 'msg.send', roomId: room.id, ...edit })).toMatchObject({
      seq: 3,
      duplicate: true,
    });
    expect(await send(owner, { kind: 'react', target, body: '👍' })).toMatchObject({ seq: 4 });
    expect(await send(owner, { body: 'a reply', replyTo: target })).toMatchObject({ seq: 5 });

    // Refused, in words: someone else's edit, an action on another room's message, bad bodies.
    const refused = async (who: typeof owner, frame: Record<string, unknown>) => {
      const answer = await send(who, frame);
      expect(answer.t).toBe('error');
      return answer.code;
    };
    expect(await refused(owner, { kind: 'edit', target, body: 'mine now' })).toBe('forbidden');
    expect(await refused(anna, { kind: 'delete', target: ownerSays.clientId, body: '' })).toBe(
      'forbidden',
    );
    const elsewhere = await ask(owner.client, {
      t: 'msg.send',
      roomId: other.id,
      clientId: id(),
      body: 'in the other room',
    });
    expect(await refused(owner, { kind: 'react', target: elsewhere.clientId, body: '👍' })).toBe(
      'no_such_message',
    );
    expect(await refused(owner, { kind: 'react', target, body: 'not an emoji' })).toBe(
      'malformed_frame',
    );
    expect(await refused(owner, { kind: 'react', target, body: '<b>👍</b>' })).toBe(
      'malformed_frame',
    );
    expect(await refused(owner, { kind: 'delete', target, body: 'text' })).toBe('malformed_frame');
    expect(await refused(owner, { body: 'x', target })).toBe('malformed_frame');

    // The owner deletes Anna's message; after that it takes no edit, reaction or reply.
    expect(await send(owner, { kind: 'delete', target, body: '' })).toMatchObject({ t: 'ack' });
    expect(await refused(anna, { kind: 'edit', target, body: 'again' })).toBe('no_such_message');
    expect(await refused(owner, { kind: 'react', target, body: '🎉' })).toBe('no_such_message');
    expect(await refused(owner, { body: 'late reply', replyTo: target })).toBe('no_such_message');

    // History carries every entry in seq order, with its kind and target, for catch-up.
    const history = (await ask(anna.client, {
      t: 'history',
      roomId: room.id,
      afterSeq: 0,
      limit: 50,
    })) as Frame & { messages: { seq: number; kind: string; target?: string; replyTo?: string }[] };
    expect(history.messages.map((m) => [m.seq, m.kind, m.target ?? m.replyTo ?? null])).toEqual([
      [1, 'text', null],
      [2, 'text', null],
      [3, 'edit', target],
      [4, 'react', target],
      [5, 'text', target],
      [6, 'delete', target],
    ]);
  });

  it('stores an entry only after the one it names as sent before it', async () => {
    const sam = await signedIn(server.url, 'Sam');
    const { room } = (await ask(sam.client, { t: 'room.create', name: 'Order' })) as Frame & {
      room: { id: string };
    };
    const first = id();
    const second = id();
    const send = (clientId: string, body: string, after?: string) =>
      ask(sam.client, {
        t: 'msg.send',
        roomId: room.id,
        clientId,
        body,
        ...(after ? { after } : {}),
      });
    // The first was refused (say, rate limited) while the second was on the wire.
    expect(await send(second, 'second', first)).toMatchObject({ t: 'error', code: 'out_of_order' });
    expect(await send(first, 'first')).toMatchObject({ t: 'ack', seq: 1 });
    expect(await send(second, 'second', first)).toMatchObject({ t: 'ack', seq: 2 });
    // A resend of a stored entry is acknowledged whatever it names.
    expect(await send(second, 'second', id())).toMatchObject({ seq: 2, duplicate: true });
  });

  it("tells the room's others, and only them, who is typing", async () => {
    const kim = await signedIn(server.url, 'Kim');
    const lee = await signedIn(server.url, 'Lee');
    const stranger = await signedIn(server.url, 'Stranger');
    const { room } = (await ask(kim.client, { t: 'room.create', name: 'Typing' })) as Frame & {
      room: { id: string; inviteCode: string };
    };
    await ask(lee.client, { t: 'room.join', code: room.inviteCode });
    const pushed = lee.client.next<Frame>((f) => f.t === 'typing');
    expect(await ask(kim.client, { t: 'typing', roomId: room.id })).toMatchObject({ t: 'ok' });
    expect(await pushed).toEqual({ t: 'typing', roomId: room.id, userId: kim.userId });
    expect(await ask(stranger.client, { t: 'typing', roomId: room.id })).toMatchObject({
      t: 'error',
      code: 'not_member',
    });
  });
});
