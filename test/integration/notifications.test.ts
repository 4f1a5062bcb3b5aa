/** Which arriving messages notify: the room's level, do-not-disturb, hidden text (real store). */
import path from 'node:path';
import { openLocalDatabase, type LocalDatabase } from '../../src-main/services/storage/database';
import { MessageStore, type RoomInput } from '../../src-main/services/storage/message-store';
import { NotificationService } from '../../src-main/services/notifications/notification-service';
import { DEFAULT_SETTINGS, type NotificationSettings } from '../../src-shared/settings';
import type { MessageNotice } from '../../src-shared/ipc/chat-types';
import type { WireMessage } from '../../src-shared/protocol/entities';
import { makeTempDir } from '../support/temp-dir';

const ME = { userId: `u_${'a'.repeat(32)}`, displayName: 'Gina' };
const THEM = `u_${'b'.repeat(32)}`;
const ROOM = `r_${'1'.repeat(24)}`;

const room: RoomInput = {
  id: ROOM,
  name: 'Notices',
  kind: 'group',
  inviteCode: 'ABCDEFGH',
  lastSeq: 0,
  members: [
    { userId: ME.userId, name: 'Gina', presence: 'online', fingerprint: 'aaaa bbbb cccc dddd' },
    { userId: THEM, name: 'Frank', presence: 'online', fingerprint: '1111 2222 3333 4444' },
  ],
  ownerId: THEM,
  request: null,
};

let seq = 0;
const message = (body: string, extra: Partial<WireMessage> = {}): WireMessage => {
  seq++;
  return {
    roomId: ROOM,
    seq,
    clientId: `c-${String(seq).padStart(8, '0')}`,
    senderId: THEM,
    body,
    at: 1_000 + seq,
    kind: 'text',
    ...extra,
  };
};

describe('notifications for arriving messages', () => {
  const temp = makeTempDir();
  let database: LocalDatabase;
  let store: MessageStore;
  let settings: NotificationSettings;
  let shown: MessageNotice[];
  let service: NotificationService;

  beforeEach(() => {
    database = openLocalDatabase(path.join(temp.dir, `${Math.random()}.db`));
    store = new MessageStore(database.db, () => ME);
    store.upsertRoom(room);
    settings = { ...DEFAULT_SETTINGS.notifications };
    shown = [];
    service = new NotificationService(
      store,
      () => settings,
      () => ME,
      (n) => shown.push(n),
    );
  });
  afterEach(() => database.close());
  afterAll(() => temp.cleanup());

  it('notifies for others’ messages with sender, room and text; never for one’s own or for actions', () => {
    const first = message('Lunch at **noon**');
    service.arrived(first);
    expect(shown).toEqual([
      {
        roomId: ROOM,
        clientId: first.clientId,
        roomName: 'Notices',
        direct: false,
        senderName: 'Frank',
        body: 'Lunch at **noon**',
        mention: false,
        sound: true,
      },
    ]);
    service.arrived(message('my own', { senderId: ME.userId }));
    service.arrived(message('👍', { kind: 'react', target: first.clientId }));
    service.arrived(message('Lunch at one', { kind: 'edit', target: first.clientId }));
    expect(shown).toHaveLength(1);
  });

  it('follows the room’s level: all, mentions only, never', () => {
    store.setNotify(ROOM, 'mentions');
    expect(store.room(ROOM)!.notify).toBe('mentions');
    service.arrived(message('An ordinary update'));
    service.arrived(message('@Gina please review'));
    expect(shown.map((n) => [n.body, n.mention])).toEqual([['@Gina please review', true]]);

    store.setNotify(ROOM, 'never');
    service.arrived(message('@Gina again'));
    expect(shown).toHaveLength(1);

    store.setNotify(ROOM, 'all');
    service.arrived(message('Back to everything'));
    expect(shown).toHaveLength(2);
    expect(store.setNotify(`r_${'9'.repeat(24)}`, 'never')).toBe(false);
  });

  it('stays silent while do-not-disturb is on, and hides the text when asked', () => {
    settings = { ...settings, doNotDisturb: true };
    service.arrived(message('@Gina urgent'));
    expect(shown).toHaveLength(0);

    settings = { doNotDisturb: false, showText: false, sound: false };
    service.arrived(message('secret plans'));
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ body: null, sound: false, senderName: 'Frank' });
  });

  it('keeps the level across a reopen of the database (migration 12)', () => {
    store.setNotify(ROOM, 'never');
    const file = database.db.name;
    database.close();
    database = openLocalDatabase(file);
    store = new MessageStore(database.db, () => ME);
    expect(store.room(ROOM)!.notify).toBe('never');
  });
});
