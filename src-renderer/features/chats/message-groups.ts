/**
 * How a room's messages are laid out, as the peers do: a divider at each new day (Today,
 * Yesterday, or the date), and messages of one sender within five minutes grouped under one
 * avatar and name. Pure, so that it is tested without a DOM.
 */
import type { LocalMessage } from '../../../src-shared/ipc/chat-types';

export const GROUP_WINDOW_MS = 5 * 60 * 1000;

export type MessageRow =
  | { kind: 'day'; key: string; day: number }
  | { kind: 'unread'; key: string }
  | { kind: 'message'; key: string; message: LocalMessage; startsGroup: boolean };

export function messageTime(message: LocalMessage): number {
  return message.at ?? message.createdAt;
}

/** Local midnight of `time` (the start of its day where the user is). */
export function dayOf(time: number): number {
  const date = new Date(time);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/**
 * The seq of the first unread message, from the room's unread count when it was opened: the
 * count-th message from the end among those others sent. Null when nothing was unread.
 */
export function firstUnreadSeq(
  messages: readonly LocalMessage[],
  unread: number,
  selfId: string,
): number | null {
  if (unread <= 0) return null;
  let counted = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.seq === null || m.senderId === selfId) continue;
    if (++counted === unread) return m.seq;
  }
  // Fewer loaded than unread: the divider goes above the oldest loaded message from others.
  return messages.find((m) => m.seq !== null && m.senderId !== selfId)?.seq ?? null;
}

/** Rows to show: day dividers, a "New messages" divider before `unreadFrom`, grouped messages. */
export function messageRows(
  messages: readonly LocalMessage[],
  unreadFrom: number | null = null,
): MessageRow[] {
  const rows: MessageRow[] = [];
  let previous: LocalMessage | null = null;
  for (const message of messages) {
    const time = messageTime(message);
    const day = dayOf(time);
    const newDay = !previous || dayOf(messageTime(previous)) !== day;
    if (newDay) rows.push({ kind: 'day', key: `day-${day}`, day });
    const unreadStarts = unreadFrom !== null && message.seq === unreadFrom;
    if (unreadStarts) rows.push({ kind: 'unread', key: 'unread' });
    const startsGroup =
      newDay ||
      unreadStarts ||
      previous!.senderId !== message.senderId ||
      time - messageTime(previous!) > GROUP_WINDOW_MS ||
      // A message that failed says why under itself; the next one starts afresh.
      previous!.state === 'failed';
    rows.push({ kind: 'message', key: message.clientId, message, startsGroup });
    previous = message;
  }
  return rows;
}

/** "Today", "Yesterday" or the date in the UI language (with the year when it is not this one). */
export function dayLabel(
  day: number,
  now: number,
  language: string,
  words: { today: string; yesterday: string },
): string {
  const today = dayOf(now);
  if (day === today) return words.today;
  if (day === dayOf(today - 12 * 60 * 60 * 1000)) return words.yesterday;
  const sameYear = new Date(day).getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(language, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(day);
}
