import { useTranslation } from 'react-i18next';
import { useTyping } from './typing';

/** "Anna is typing…" under the messages; the line keeps its height so nothing jumps. */
export function TypingLine({
  roomId,
  labels,
}: {
  roomId: string;
  labels: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation();
  const names = useTyping(roomId).map((id) => labels.get(id) ?? t('chats.someone'));
  const text =
    names.length === 0
      ? ''
      : names.length === 1
        ? t('chats.typingOne', { name: names[0] })
        : names.length === 2
          ? t('chats.typingTwo', { first: names[0], second: names[1] })
          : t('chats.typingMany', { count: names.length });
  return (
    <p className="typing-line" data-testid="chat-typing" aria-live="polite">
      {text}
    </p>
  );
}
