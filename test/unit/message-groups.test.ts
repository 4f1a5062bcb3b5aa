import type { LocalMessage } from '../../src-shared/ipc/chat-types';
import {
  dayLabel,
  dayOf,
  firstUnreadSeq,
  GROUP_WINDOW_MS,
  messageRows,
} from '../../src-renderer/features/chats/message-groups';

let n = 0;
function message(
  senderId: string,
  at: number,
  state: LocalMessage['state'] = 'sent',
): LocalMessage {
  n++;
  return {
    localId: n,
    clientId: `c${n}`,
    roomId: 'r_1',
    seq: state === 'sent' ? n : null,
    senderId,
    senderName: senderId,
    body: `m${n}`,
    state,
    failure: state === 'failed' ? 'too long' : null,
    createdAt: at,
    at: state === 'sent' ? at : null,
  } as LocalMessage;
}

describe('message rows: day dividers and sender groups', () => {
  const morning = new Date(2026, 11, 5, 9, 0).getTime();

  it('groups one sender within five minutes and starts a group for another sender or a pause', () => {
    const rows = messageRows([
      message('anna', morning),
      message('anna', morning + 60_000),
      message('bob', morning + 120_000),
      message('bob', morning + 120_000 + GROUP_WINDOW_MS + 1),
    ]);
    expect(rows.map((r) => (r.kind === 'message' ? r.startsGroup : r.kind))).toEqual([
      'day',
      true,
      false,
      true,
      true,
    ]);
  });

  it('puts a divider at each new day, and a new day starts a group even for the same sender', () => {
    const late = new Date(2026, 11, 5, 23, 59).getTime();
    const rows = messageRows([message('anna', late), message('anna', late + 2 * 60_000)]);
    expect(rows.map((r) => r.kind)).toEqual(['day', 'message', 'day', 'message']);
    expect(rows[3]).toMatchObject({ kind: 'message', startsGroup: true });
  });

  it('lets a message after a failed one start afresh (the failure is said under it)', () => {
    const rows = messageRows([
      message('me', morning, 'failed'),
      message('me', morning + 1000, 'pending'),
    ]);
    expect(rows[2]).toMatchObject({ kind: 'message', startsGroup: true });
  });

  it('names the day in the UI language: Today, Yesterday, else the date', () => {
    const now = new Date(2026, 11, 6, 10, 0).getTime();
    const words = { today: 'Сегодня', yesterday: 'Вчера' };
    expect(dayLabel(dayOf(now), now, 'ru', words)).toBe('Сегодня');
    expect(dayLabel(dayOf(morning), now, 'ru', words)).toBe('Вчера');
    expect(dayLabel(dayOf(new Date(2026, 10, 20).getTime()), now, 'ru', words)).toBe(
      'пятница, 20 ноября',
    );
    expect(dayLabel(dayOf(new Date(2025, 0, 2).getTime()), now, 'en', words)).toBe(
      'Thursday, January 2, 2025',
    );
  });
});

describe('the "New messages" divider', () => {
  it('goes before the first unread message from others, and only once', () => {
    const base = Date.UTC(2026, 11, 6, 9, 0);
    const list = [
      message('bob', base),
      message('me', base + 1000),
      message('bob', base + 2000),
      message('me', base + 3000),
      message('bob', base + 4000),
    ];
    // Two unread from Bob: the divider is above his message at +2 s, my own in between is read.
    const from = firstUnreadSeq(list, 2, 'me');
    expect(from).toBe(list[2]!.seq);
    const rows = messageRows(list, from);
    const at = rows.findIndex((r) => r.kind === 'unread');
    expect(rows.filter((r) => r.kind === 'unread')).toHaveLength(1);
    const next = rows[at + 1]!;
    expect(next.kind === 'message' && next.message.clientId).toBe(list[2]!.clientId);
    // The first unread message starts a group of its own (avatar and name again).
    expect(next.kind === 'message' && next.startsGroup).toBe(true);
    expect(firstUnreadSeq(list, 0, 'me')).toBeNull();
    // More unread than loaded: above the oldest loaded message from others.
    expect(firstUnreadSeq(list, 10, 'me')).toBe(list[0]!.seq);
  });
});
