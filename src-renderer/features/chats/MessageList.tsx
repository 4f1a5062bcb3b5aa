import { useEffect, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../../lib/use-now';
import type { LocalMessage } from '../../../src-shared/ipc/chat-types';
import { call } from '../../lib/api';
import type { RoomMessages } from './use-room-messages';
import { dayLabel, messageRows, messageTime } from './message-groups';
import { Avatar } from '../../ui/Avatar';

interface Props {
  room: RoomMessages;
  /** Each member's name as shown (with a fingerprint where two share a name). */
  labels: ReadonlyMap<string, string>;
  selfId: string;
  /** Scroll to and highlight this message (from search); older pages load until it is found. */
  focusClientId: string | null;
  focusSeq: number | null;
}

function timeOf(m: LocalMessage, language: string): string {
  return new Date(messageTime(m)).toLocaleTimeString(language, {
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** A small mark for the delivery state (the words are its label and tooltip). */
const STATE_MARK: Record<LocalMessage['state'], string> = { pending: '…', sent: '✓', failed: '!' };

export function MessageList({ room, labels, selfId, focusClientId, focusSeq }: Props) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const now = useNow();
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  const { messages, hasMore, partial, loadOlder } = room;

  // Stay pinned to the newest message while the user is at the bottom; keep position otherwise.
  useLayoutEffect(() => {
    const el = list.current;
    if (el && atBottom.current && !focusClientId) el.scrollTop = el.scrollHeight;
  }, [messages, focusClientId]);

  useEffect(() => {
    if (!focusClientId) return;
    const found = list.current?.querySelector(`[data-client-id="${focusClientId}"]`);
    if (found) {
      found.scrollIntoView({ block: 'center' });
      return;
    }
    const oldest = messages.find((m) => m.seq !== null)?.seq ?? null;
    if (focusSeq !== null && hasMore && oldest !== null && oldest > focusSeq) void loadOlder();
  }, [focusClientId, focusSeq, messages, hasMore, loadOlder]);

  const onScroll = () => {
    const el = list.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (el.scrollTop < 60 && hasMore) {
      const before = el.scrollHeight;
      void loadOlder().then(() => {
        requestAnimationFrame(() => {
          if (list.current) list.current.scrollTop += list.current.scrollHeight - before;
        });
      });
    }
  };

  return (
    <div className="message-area">
      {hasMore ? (
        <button type="button" className="load-older" onClick={() => void loadOlder()}>
          {t('chats.loadOlder')}
        </button>
      ) : null}
      {partial ? <p className="muted">{t('chats.olderUnavailable')}</p> : null}
      {messages.length === 0 && !room.loading ? (
        <p className="muted">{t('chats.noMessages')}</p>
      ) : null}
      <ol className="messages" ref={list} onScroll={onScroll} aria-live="polite">
        {messageRows(messages).map((row) => {
          if (row.kind === 'day')
            return (
              <li key={row.key} className="day-divider" data-testid="chat-day-divider">
                <span>
                  {dayLabel(row.day, now, language, {
                    today: t('chats.today'),
                    yesterday: t('chats.yesterday'),
                  })}
                </span>
              </li>
            );
          const m = row.message;
          const own = m.senderId === selfId;
          const name = own
            ? `${m.senderName} (${t('chats.you')})`
            : (labels.get(m.senderId) ?? m.senderName);
          const stateText = t(`chats.state.${m.state}`, { reason: m.failure ?? '' });
          return (
            <li
              key={row.key}
              data-testid="chat-message"
              data-state={m.state}
              data-client-id={m.clientId}
              data-group-start={row.startsGroup ? 'true' : 'false'}
              className={`message state-${m.state}${own ? ' own' : ''}${
                row.startsGroup ? ' group-start' : ' grouped'
              }${m.clientId === focusClientId ? ' focused' : ''}`}
            >
              <div className="message-gutter">
                {row.startsGroup ? (
                  <Avatar userId={m.senderId} name={m.senderName} />
                ) : (
                  <time
                    className="message-hover-time"
                    dateTime={new Date(messageTime(m)).toISOString()}
                  >
                    {timeOf(m, language)}
                  </time>
                )}
              </div>
              <div className="message-content">
                {row.startsGroup ? (
                  <div className="message-meta">
                    <strong>{name}</strong>{' '}
                    <time dateTime={new Date(messageTime(m)).toISOString()}>
                      {timeOf(m, language)}
                    </time>
                  </div>
                ) : null}
                <div className="message-body">{m.body}</div>
                {m.state === 'failed' ? (
                  <p className="message-failure">
                    {stateText}{' '}
                    <button
                      type="button"
                      data-testid="chat-message-retry"
                      onClick={() => void call('messages.retry', { clientId: m.clientId })}
                    >
                      {t('chats.retry')}
                    </button>
                  </p>
                ) : null}
              </div>
              {own ? (
                <span
                  className="delivery"
                  data-testid="chat-message-state"
                  role="img"
                  aria-label={stateText}
                  title={stateText}
                >
                  {STATE_MARK[m.state]}
                </span>
              ) : null}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
