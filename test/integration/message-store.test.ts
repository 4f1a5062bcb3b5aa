/** The local store on a real SQLite file: outbox, incoming dedup, FTS in step, storage limits. */
import fs from 'node:fs';
import path from 'node:path';
import { openLocalDatabase, type LocalDatabase } from '../../src-main/services/storage/database';
import {
  MessageStore,
  ftsQuery,
  type IncomingMessage,
  type RoomInput,
} from '../../src-main/services/storage/message-store';
import { StorageUsageService } from '../../src-main/services/storage/storage-usage';
import { DEFAULT_SETTINGS, type StorageLimits } from '../../src-shared/settings';
import { makeTempDir } from '../support/temp-dir';

const ME = { userId: `u_${'a'.repeat(32)}`, displayName: 'Me' };
const THEM = `u_${'b'.repeat(32)}`;
const ROOM = `r_${'1'.repeat(24)}`;

function room(lastSeq = 0): RoomInput {
  return {
    id: ROOM,
    name: 'Room',
    kind: 'group',
    inviteCode: 'ABCDEFGH',
    lastSeq,
    members: [
      { userId: ME.userId, name: 'Me', presence: 'online', fingerprint: 'aaaa bbbb cccc dddd' },
      { userId: THEM, name: 'Them', presence: 'offline', fingerprint: '1111 2222 3333 4444' },
    ],
    ownerId: ME.userId,
    request: null,
  };
}

const incoming = (seq: number, body = `message ${seq}`): IncomingMessage => ({
  roomId: ROOM,
  seq,
  clientId: `them-${String(seq).padStart(6, '0')}`,
  senderId: THEM,
  body,
  at: 1_000_000 + seq,
});

describe('local message store', () => {
  const temp = makeTempDir();
  let database: LocalDatabase;
  let store: MessageStore;
  let limits: StorageLimits;
  let usage: StorageUsageService;

  beforeEach(() => {
    const file = path.join(temp.dir, `${Math.random().toString(36).slice(2)}.db`);
    database = openLocalDatabase(file);
    store = new MessageStore(database.db, () => ME);
    limits = { ...DEFAULT_SETTINGS.storageLimits };
    usage = new StorageUsageService(database.db, () => limits);
    store.upsertRoom(room());
  });
  afterEach(() => database.close());
  afterAll(() => temp.cleanup());

  it('folds edits, deletes and reactions into their message in the room order', () => {
    const [original] = store.storeIncoming([incoming(1, 'the first wording')]);
    const action = (
      seq: number,
      kind: 'edit' | 'delete' | 'react' | 'unreact',
      body: string,
      senderId = THEM,
    ): IncomingMessage => ({
      ...incoming(seq, body),
      clientId: `act-${seq}`.padEnd(8, '0'),
      senderId,
      kind,
      target: original!.clientId,
    });
    // An edit, then two reactions (one taken back) and one more from me.
    const changed = store.storeIncoming([
      action(2, 'edit', 'the second wording'),
      action(3, 'react', '👍'),
      action(4, 'react', '🎉'),
      action(5, 'unreact', '👍'),
      action(6, 'react', '🎉', ME.userId),
    ]);
    expect(changed.map((m) => m.clientId)).toEqual([original!.clientId]);
    const read = store.byClientId(original!.clientId)!;
    expect(read).toMatchObject({ body: 'the second wording', deleted: false });
    expect(read.editedAt).not.toBeNull();
    expect(read.reactions).toEqual([{ emoji: '🎉', count: 2, mine: true, names: ['Them', 'Me'] }]);
    // Actions are not messages: not in pages, unread counts or search; search finds the new text.
    expect(store.page(ROOM, undefined, 50).map((m) => m.clientId)).toEqual([original!.clientId]);
    expect(store.rooms()[0]!.unread).toBe(1);
    expect(store.search('second', 10).map((h) => h.message.clientId)).toEqual([original!.clientId]);
    expect(store.search('first', 10)).toEqual([]);
    expect(store.search('wording', 10)).toHaveLength(1);
    // An edit by someone else than the sender does nothing; a delete empties it for good.
    store.storeIncoming([action(7, 'edit', 'hijacked', ME.userId), action(8, 'delete', '')]);
    expect(store.byClientId(original!.clientId)).toMatchObject({
      body: '',
      deleted: true,
      reactions: [],
    });
    expect(store.search('second', 10)).toEqual([]);
  });

  it('applies actions that arrive before their message, and drops refused ones of mine', () => {
    // Reading history backwards: the edit (seq 2) comes before the message (seq 1).
    store.storeIncoming([
      {
        ...incoming(2, 'edited later'),
        clientId: 'edit-0002',
        kind: 'edit',
        target: 'them-000001',
      },
    ]);
    const [message] = store.storeIncoming([incoming(1, 'as first sent')]);
    expect(message).toMatchObject({ body: 'edited later' });

    // My reaction waits offline, shows at once, and is undone if the server refuses it.
    const shown = store.addPending(ROOM, '👀', 'react-01', {
      action: { kind: 'react', target: message!.clientId },
    });
    expect(shown.reactions).toEqual([{ emoji: '👀', count: 1, mine: true, names: ['Me'] }]);
    expect(store.outbox(0, 10).map((o) => [o.kind, o.target])).toEqual([
      ['react', message!.clientId],
    ]);
    expect(store.rooms()[0]!.pending).toBe(0); // an action is not a message waiting to send
    expect(store.markFailed('react-01', 'no')!.reactions).toEqual([]);

    // A reply names its original; the original's edits show in it.
    const reply = store.addPending(ROOM, 'yes', undefined, { replyTo: message!.clientId });
    expect(reply.replyTo).toMatchObject({
      clientId: message!.clientId,
      senderName: 'Them',
      body: 'edited later',
      deleted: false,
      seq: 1,
    });
  });

  it("keeps a room's draft until it is emptied or the room is gone", () => {
    expect(store.draft(ROOM)).toBe('');
    store.saveDraft(ROOM, 'half a thought');
    store.saveDraft(ROOM, 'half a thought, then more');
    expect(store.draft(ROOM)).toBe('half a thought, then more');
    store.saveDraft(ROOM, '   ');
    expect(store.draft(ROOM)).toBe('');
    store.saveDraft(`r_${'9'.repeat(24)}`, 'for a room this app does not have');
    expect(store.draft(`r_${'9'.repeat(24)}`)).toBe('');
    store.saveDraft(ROOM, 'written before leaving');
    store.removeRoom(ROOM);
    expect(store.draft(ROOM)).toBe('');
  });

  it('writes a pending message with its outbox row; only the ack takes it out', () => {
    const m = store.addPending(ROOM, 'hello');
    expect(m).toMatchObject({ state: 'pending', seq: null, senderName: 'Me' });
    expect(store.outbox(0, 10).map((o) => o.clientId)).toEqual([m.clientId]);
    expect(store.addPending(ROOM, 'hello', m.clientId).localId).toBe(m.localId);
    expect(store.outboxSize()).toBe(1);

    store.markFailed(m.clientId, 'not a member');
    expect(store.outbox(0, 10)).toEqual([]); // failed: not sent automatically...
    expect(store.outboxSize()).toBe(1); // ...but still kept
    store.retry(m.clientId);
    expect(store.outbox(0, 10)).toHaveLength(1);

    const sent = store.markSent(m.clientId, 1, 123);
    expect(sent).toMatchObject({ state: 'sent', seq: 1, at: 123 });
    expect(store.outboxSize()).toBe(0);
    expect(store.seqs(ROOM)).toEqual({ synced: 1, last: 1 });
  });

  it('stores incoming messages once and tracks the contiguous seq', () => {
    store.storeIncoming([incoming(1), incoming(2), incoming(4)]);
    expect(store.seqs(ROOM)).toEqual({ synced: 2, last: 4 });
    store.storeIncoming([incoming(4), incoming(3)]);
    expect(store.seqs(ROOM)).toEqual({ synced: 4, last: 4 });
    expect(store.page(ROOM, undefined, 50).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(store.rooms()[0]).toMatchObject({ unread: 4, pending: 0 });
    store.markRead(ROOM);
    expect(store.rooms()[0]!.unread).toBe(0);
  });

  it('pages newest first with pending ones last, and older pages by seq', () => {
    store.storeIncoming(Array.from({ length: 30 }, (_, i) => incoming(i + 1)));
    const pending = store.addPending(ROOM, 'not yet');
    const newest = store.page(ROOM, undefined, 5);
    expect(newest.map((m) => m.seq)).toEqual([27, 28, 29, 30, null]);
    expect(newest[4]!.clientId).toBe(pending.clientId);
    expect(store.page(ROOM, 27, 3).map((m) => m.seq)).toEqual([24, 25, 26]);
  });

  it('keeps the full-text index in step with inserts and deletes', () => {
    store.storeIncoming([incoming(1, 'Встреча в пятницу'), incoming(2, 'Meeting on Friday')]);
    expect(store.search('встреча', 10).map((h) => h.message.seq)).toEqual([1]);
    expect(store.search('FRIDAY', 10).map((h) => h.message.seq)).toEqual([2]);
    expect(store.search('пятн', 10)).toHaveLength(1); // prefix
    usage.clear('messages');
    expect(store.search('встреча', 10)).toEqual([]);
    expect(ftsQuery('a "b" OR c*')).toBe('"a"* "b"* "OR"* "c"*');
    expect(ftsQuery('!!!')).toBeNull();
  });

  it('evicts the oldest messages past the limit, never pending ones', () => {
    limits.messagesMb = 1;
    const body = 'x'.repeat(1000);
    for (let i = 0; i < 3; i++)
      store.storeIncoming(
        Array.from({ length: 1000 }, (_, j) => incoming(i * 1000 + j + 1, `${body} ${i}-${j}`)),
      );
    const pending = Array.from({ length: 20 }, (_, i) => store.addPending(ROOM, `${body} p${i}`));
    const before = usage.usage().find((u) => u.category === 'messages')!;
    expect(before.bytes).toBeGreaterThan(1024 * 1024);
    const reports = usage.enforceLimits();
    const after = usage.usage().find((u) => u.category === 'messages')!;
    expect(after.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(reports[0]).toMatchObject({ category: 'messages' });
    const kept = store.page(ROOM, undefined, 5000);
    const keptSeqs = kept.filter((m) => m.seq !== null).map((m) => m.seq!);
    // The newest survive, the oldest went.
    expect(keptSeqs[keptSeqs.length - 1]).toBe(3000);
    expect(Math.min(...keptSeqs)).toBeGreaterThan(1);
    for (const p of pending) expect(store.byClientId(p.clientId)?.state).toBe('pending');
    expect(store.outboxSize()).toBe(20);
    // Clearing never drops what waits to be sent either.
    usage.clear('messages');
    expect(store.outboxSize()).toBe(20);
    expect(store.page(ROOM, undefined, 5000).filter((m) => m.seq !== null)).toEqual([]);
  });

  it('evicts cached files oldest-used first, never pinned ones, and clears a category', () => {
    limits.mediaMb = 1;
    const file = (name: string, kb: number) => {
      const p = path.join(temp.dir, name);
      fs.writeFileSync(p, Buffer.alloc(kb * 1024));
      return p;
    };
    const pinned = file('unsent.bin', 400);
    usage.addFile('media', pinned, true);
    const old = file('old.bin', 400);
    usage.addFile('media', old);
    const newer = file('newer.bin', 400);
    usage.addFile('media', newer);
    usage.touchFile(old); // used recently: now the newest
    expect(usage.usage().find((u) => u.category === 'media')).toMatchObject({
      bytes: 1200 * 1024,
      entries: 3,
      pinnedBytes: 400 * 1024,
    });
    usage.enforceLimits();
    expect(fs.existsSync(newer)).toBe(false);
    expect(fs.existsSync(old)).toBe(true);
    expect(fs.existsSync(pinned)).toBe(true);
    usage.clear('media');
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(pinned)).toBe(true);
    expect(usage.usage().find((u) => u.category === 'media')).toMatchObject({ entries: 1 });
  });
});
