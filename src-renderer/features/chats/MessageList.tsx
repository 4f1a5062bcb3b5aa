import { useEffect, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalMessage } from '../../../src-shared/ipc/chat-types';
import { call } from '../../lib/api';
import type { RoomMessages } from './use-room-messages';

interface Props {
  room: RoomMessages;
  /** Each member's name as shown (with a fingerprint where two share a name). */
  labels: ReadonlyMap<string, string>;
  selfId: string;
  /** Scroll to and highlight this message (from search); older pages load until it is found. */
  focusClientId: string | null;
  focusSeq: number | null;
}

function timeOf(m: LocalMessage): string {
  return new Date(m.at ?? m.createdAt).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function MessageList({ room, labels, selfId, focusClientId, focusSeq }: Props) {
  const { t } = useTranslation();
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
        {messages.map((m) => (
          <li
            key={m.clientId}
            data-testid="chat-message"
            data-state={m.state}
            data-client-id={m.clientId}
            className={`message state-${m.state}${m.senderId === selfId ? ' own' : ''}${
              m.clientId === focusClientId ? ' focused' : ''
            }`}
          >
            <div className="message-meta">
              <strong>
                {m.senderId === selfId
                  ? `${m.senderName} (${t('chats.you')})`
                  : (labels.get(m.senderId) ?? m.senderName)}
              </strong>{' '}
              <time dateTime={new Date(m.at ?? m.createdAt).toISOString()}>{timeOf(m)}</time>
              {m.senderId === selfId ? (
                <span className="delivery" data-testid="chat-message-state">
                  {' · '}
                  {t(`chats.state.${m.state}`, { reason: m.failure ?? '' })}
                </span>
              ) : null}
            </div>
            <div className="message-body">{m.body}</div>
            {m.state === 'failed' ? (
              <button
                type="button"
                data-testid="chat-message-retry"
                onClick={() => void call('messages.retry', { clientId: m.clientId })}
              >
                {t('chats.retry')}
              </button>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
