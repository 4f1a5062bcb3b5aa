import type { WireMessage } from '../../../src-shared/protocol/entities';
import type { MessageNotice, NotifyLevel } from '../../../src-shared/ipc/chat-types';
import type { NotificationSettings } from '../../../src-shared/settings';
import { mentions } from '../../../src-shared/protocol/mentions';
import type { MessageStore } from '../storage/message-store';

/** Whether a room at this level notifies for a message (mentioning me or not). */
export function levelAllows(level: NotifyLevel, mentionsMe: boolean): boolean {
  return level === 'all' || (level === 'mentions' && mentionsMe);
}

/**
 * Decides which arriving messages notify: others' new texts (not actions), in rooms whose level
 * allows it, never while do-not-disturb is on. Whether the room is in front of the user is the
 * renderer's to judge (only it knows), so it gets a notice and shows it or not.
 */
export class NotificationService {
  constructor(
    private readonly store: MessageStore,
    private readonly settings: () => NotificationSettings,
    private readonly self: () => { userId: string; displayName: string } | null,
    private readonly show: (notice: MessageNotice) => void,
  ) {}

  /** A message that arrived live and was not stored before. */
  arrived(message: WireMessage): MessageNotice | null {
    const notice = this.noticeFor(message);
    if (notice) this.show(notice);
    return notice;
  }

  private noticeFor(message: WireMessage): MessageNotice | null {
    const me = this.self();
    if (!me || message.senderId === me.userId || (message.kind ?? 'text') !== 'text') return null;
    const settings = this.settings();
    if (settings.doNotDisturb) return null;
    const room = this.store.room(message.roomId);
    if (!room || room.request) return null;
    const mention = mentions(message.body, me.displayName);
    if (!levelAllows(room.notify, mention)) return null;
    const sender = room.members.find((m) => m.userId === message.senderId)?.name ?? '';
    return {
      roomId: room.id,
      clientId: message.clientId,
      roomName: room.name,
      direct: room.kind === 'direct',
      senderName: sender,
      body: settings.showText ? message.body : null,
      mention,
      sound: settings.sound,
    };
  }
}
