import { useTranslation } from 'react-i18next';
import type { LocalMessage, Member } from '../../../src-shared/ipc/chat-types';

/** Rooms up to this many members say who has seen one's last message; bigger ones do not. */
export const SEEN_BY_MAX_MEMBERS = 12;

/**
 * Who, of the others, has read up to `message`: ids in member order. Empty unless the message is
 * mine, sent, and the room small enough for names to mean something.
 */
export function seenBy(message: LocalMessage | undefined, members: Member[], selfId: string) {
  if (!message || message.senderId !== selfId || message.seq === null) return [];
  if (members.length > SEEN_BY_MAX_MEMBERS) return [];
  return members.filter((m) => m.userId !== selfId && m.readSeq >= message.seq!);
}

/** "Seen by Anna and Boris" under one's own newest message, at the right of the typing line. */
export function SeenBy({
  newest,
  members,
  selfId,
  labels,
}: {
  newest: LocalMessage | undefined;
  members: Member[];
  selfId: string;
  labels: ReadonlyMap<string, string>;
}) {
  const { t, i18n } = useTranslation();
  const seen = seenBy(newest, members, selfId);
  if (seen.length === 0) return null;
  const others = members.filter((m) => m.userId !== selfId).length;
  const names = seen.map((m) => labels.get(m.userId) ?? m.name);
  const text =
    others > 1 && seen.length === others
      ? t('chats.seenByAll')
      : t('chats.seenBy', {
          names: new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(names),
        });
  return (
    <p className="seen-by" data-testid="chat-seen-by" title={names.join(', ')}>
      {text}
    </p>
  );
}
