/**
 * Shows the notices main sends for new messages (`notify.message`: the room's level and
 * do-not-disturb already applied) as system notifications, through the web Notification API
 * (Electron turns it into the system's own). Skipped while the room is in front of the user:
 * the window shown and focused with that room open. A click brings the window and the room.
 */
import i18next from 'i18next';
import type { MessageNotice } from '../../../src-shared/ipc/chat-types';
import { call, onEvent } from '../../lib/api';
import { playTones } from '../../lib/audio/tones';
import { getUiIntents, selectRoom } from '../../lib/ui-intents';
import { plainText } from './MessageText';

/** Longest text shown in a notification; the system cuts the rest anyway. */
const BODY_CHARS = 180;

export function notificationsAvailable(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

async function openRoomId(): Promise<string | null> {
  const selected = getUiIntents().selectedRoomId;
  if (selected) return selected;
  // No choice made yet: the chats screen shows the first room of the list.
  const rooms = await call('rooms.list', undefined).catch(() => []);
  return rooms[0]?.id ?? null;
}

async function inFront(roomId: string): Promise<boolean> {
  if (document.visibilityState !== 'visible' || !document.hasFocus()) return false;
  if (!/^#\/?(chats)?$/.test(location.hash || '#/chats')) return false;
  return (await openRoomId()) === roomId;
}

export function noticeTitle(notice: MessageNotice): string {
  const name = notice.senderName || i18next.t('chats.someone');
  return notice.direct ? name : i18next.t('notify.inRoom', { name, room: notice.roomName });
}

export function noticeBody(notice: MessageNotice): string {
  if (notice.body === null)
    return i18next.t(notice.mention ? 'notify.hiddenMention' : 'notify.hidden');
  const text = plainText(notice.body).replace(/\s+/g, ' ').trim();
  return text.length > BODY_CHARS ? `${text.slice(0, BODY_CHARS - 1)}…` : text;
}

function openRoom(roomId: string): void {
  window.focus();
  void call('window.control', { action: 'show' }).catch(() => undefined);
  selectRoom(roomId);
  location.hash = '#/chats';
}

async function show(notice: MessageNotice): Promise<void> {
  if (await inFront(notice.roomId)) return;
  if (notice.sound) playTones(notice.mention ? [784, 1047, 1319] : [784, 1047], { step: 0.12 });
  if (!notificationsAvailable()) return;
  if (Notification.permission === 'default') await Notification.requestPermission();
  if (Notification.permission !== 'granted') return;
  const notification = new Notification(noticeTitle(notice), {
    body: noticeBody(notice),
    // One per room: a newer message replaces the older one instead of piling up.
    tag: `room:${notice.roomId}`,
    silent: true,
    data: { roomId: notice.roomId, clientId: notice.clientId },
  });
  notification.onclick = () => {
    openRoom(notice.roomId);
    notification.close();
  };
}

/** Listens for notices for as long as the app runs; answers the stop function. */
export function startMessageNotifications(): () => void {
  return onEvent('notify.message', (notice) => {
    void show(notice).catch(() => undefined);
  });
}
