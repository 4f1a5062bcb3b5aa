import { ArrowDown } from 'lucide-react';
import {
  forwardRef,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type HTMLAttributes,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import { clockTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import type { LocalMessage } from '../../../src-shared/ipc/chat-types';
import { call } from '../../lib/api';
import type { RoomMessages } from './use-room-messages';
import {
  dayLabel,
  firstUnreadSeq,
  messageRows,
  messageTime,
  type MessageRow,
} from './message-groups';
import { Avatar } from '../../ui/Avatar';
import { Button } from '../../ui/Button';
import { MessageText, type Mentions } from './MessageText';
import { MessageActions, MessageReactions } from './MessageActions';
import { MessageFiles } from './MessageFiles';

interface Props {
  room: RoomMessages;
  /** Each member's name as shown (with a fingerprint where two share a name). */
  labels: ReadonlyMap<string, string>;
  selfId: string;
  /** Scroll to and highlight this message (from search); older pages load until it is found. */
  focusClientId: string | null;
  focusSeq: number | null;
  /** The room's unread count when it was opened: where the "New messages" divider goes. */
  unreadAtOpen: number;
  /** The room's owner, who may delete anyone's message (null: a direct conversation). */
  ownerId: string | null;
  /** Members' names to mark where they are mentioned, and mine. */
  mentions: Mentions;
  /** Scroll to a message (a reply's original), loading older pages until it is found. */
  onFocusMessage(clientId: string, seq: number | null): void;
}

/**
 * Rooms up to this many rows are one plain list (every message in the page, as screen readers and
 * find-in-page expect); longer ones are windowed, so a room of 10,000 messages scrolls smoothly.
 */
export const WINDOWED_FROM_ROWS = 300;
/** bench/message-scroll.mjs compares with the plain list by raising the threshold here. */
const windowedFrom =
  Number(globalThis.localStorage?.getItem('beseda:windowed-from')) || WINDOWED_FROM_ROWS;
/** Where Virtuoso's indexes start, so that older pages can be put in front of the first one. */
const FIRST_INDEX = 1_000_000;

/** A small mark for the delivery state (the words are its label and tooltip). */
const STATE_MARK: Record<LocalMessage['state'], string> = { pending: '…', sent: '✓', failed: '!' };

export function MessageList({
  room,
  labels,
  selfId,
  focusClientId,
  focusSeq,
  unreadAtOpen,
  ownerId,
  onFocusMessage,
  mentions,
}: Props) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const now = useNow();
  const list = useRef<HTMLOListElement>(null);
  const virtuoso = useRef<VirtuosoHandle>(null);
  const atBottom = useRef(true);
  const { messages, hasMore, partial, loadOlder } = room;

  // Where the unread messages began when the room was opened: fixed once the first page is here.
  const [unreadFrom, setUnreadFrom] = useState<number | null | undefined>(undefined);
  if (unreadFrom === undefined && !room.loading)
    setUnreadFrom(firstUnreadSeq(messages, unreadAtOpen, selfId));
  const rows = useMemo(() => messageRows(messages, unreadFrom ?? null), [messages, unreadFrom]);
  const windowed = rows.length > windowedFrom;

  // Messages that arrived while the user was reading further up: the jump button counts them.
  const [awayFrom, setAwayFrom] = useState<number | null>(null);
  const newBelow = awayFrom === null ? 0 : Math.max(0, messages.length - awayFrom);
  const setBottom = (bottom: boolean) => {
    atBottom.current = bottom;
    setAwayFrom(bottom ? null : (awayFrom ?? messages.length));
  };

  // Windowed: older pages are put in front by moving the first index back by their count.
  const [firstIndex, setFirstIndex] = useState(FIRST_INDEX);
  const [knownRows, setKnownRows] = useState(rows);
  if (knownRows !== rows) {
    const firstKey = knownRows.find((r) => r.kind === 'message')?.key;
    const movedBy = firstKey
      ? rows.findIndex((r) => r.key === firstKey) - knownRows.findIndex((r) => r.key === firstKey)
      : 0;
    setKnownRows(rows);
    if (movedBy > 0) setFirstIndex(firstIndex - movedBy);
  }

  // Plain list: a window made smaller keeps the newest message in view when it was.
  useEffect(() => {
    const el = list.current;
    if (!el || windowed) return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current && !focusClientId) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [windowed, focusClientId]);

  // Plain list: stay pinned to the newest message while the user is at the bottom; when older
  // messages come in above, keep what the user was reading where it was.
  const previous = useRef<{ first: string | null; height: number }>({ first: null, height: 0 });
  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    const first = messages[0]?.clientId ?? null;
    if (atBottom.current && !focusClientId) el.scrollTop = el.scrollHeight;
    else if (previous.current.first !== null && first !== previous.current.first)
      el.scrollTop += el.scrollHeight - previous.current.height;
    previous.current = { first, height: el.scrollHeight };
  }, [messages, focusClientId, windowed]);

  useEffect(() => {
    if (!focusClientId) return;
    if (windowed) {
      const index = rows.findIndex((r) => r.key === focusClientId);
      if (index >= 0) {
        virtuoso.current?.scrollToIndex({ index: firstIndex + index, align: 'center' });
        return;
      }
    } else {
      const found = list.current?.querySelector(`[data-client-id="${focusClientId}"]`);
      if (found) {
        found.scrollIntoView({ block: 'center' });
        return;
      }
    }
    const oldest = messages.find((m) => m.seq !== null)?.seq ?? null;
    if (focusSeq !== null && hasMore && oldest !== null && oldest > focusSeq) void loadOlder();
  }, [focusClientId, focusSeq, messages, hasMore, loadOlder, windowed, rows, firstIndex]);

  const onScroll = () => {
    const el = list.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (bottom !== atBottom.current) setBottom(bottom);
    if (el.scrollTop < 60 && hasMore) void loadOlder();
  };

  const jumpToLatest = () => {
    if (windowed)
      virtuoso.current?.scrollToIndex({ index: firstIndex + rows.length - 1, align: 'end' });
    else if (list.current) list.current.scrollTop = list.current.scrollHeight;
    setBottom(true);
  };

  const renderRow = (row: MessageRow) => (
    <Row
      row={row}
      now={now}
      language={language}
      labels={labels}
      selfId={selfId}
      ownerId={ownerId}
      onFocusMessage={onFocusMessage}
      mentions={mentions}
      focused={row.kind === 'message' && row.message.clientId === focusClientId}
    />
  );

  return (
    <div className="message-area">
      {hasMore && !windowed ? (
        <Button
          variant="ghost"
          size="small"
          className="load-older"
          onClick={() => void loadOlder()}
        >
          {t('chats.loadOlder')}
        </Button>
      ) : null}
      {partial ? <p className="muted">{t('chats.olderUnavailable')}</p> : null}
      {messages.length === 0 && !room.loading ? (
        <p className="muted">{t('chats.noMessages')}</p>
      ) : null}
      {windowed ? (
        <Virtuoso
          ref={virtuoso}
          className="messages windowed"
          data={rows}
          firstItemIndex={firstIndex}
          initialTopMostItemIndex={rows.length - 1}
          computeItemKey={(_, row) => row.key}
          followOutput={(bottom) => (bottom ? 'auto' : false)}
          atBottomStateChange={setBottom}
          atBottomThreshold={40}
          startReached={() => void (hasMore ? loadOlder() : undefined)}
          increaseViewportBy={{ top: 600, bottom: 600 }}
          components={{ List: WindowedList, Item: WindowedItem }}
          itemContent={(_, row) => renderRow(row)}
        />
      ) : (
        <ol
          className="messages"
          ref={list}
          onScroll={onScroll}
          aria-live="polite"
          // A thumbnail that arrives grows its message: stay with the newest when there.
          onLoadCapture={() => {
            const el = list.current;
            if (el && atBottom.current && !focusClientId) el.scrollTop = el.scrollHeight;
          }}
        >
          {rows.map((row) => (
            <RowItem key={row.key} row={row} focusClientId={focusClientId}>
              {renderRow(row)}
            </RowItem>
          ))}
        </ol>
      )}
      {awayFrom !== null ? (
        <Button className="jump-latest" testId="chat-jump-latest" onClick={jumpToLatest}>
          <ArrowDown aria-hidden="true" />
          {newBelow > 0 ? t('chats.newBelow', { count: newBelow }) : t('chats.jumpLatest')}
        </Button>
      ) : null}
    </div>
  );
}

/** The windowed list is an <ol> of <li>, as the plain one is. */
const WindowedList = forwardRef<HTMLOListElement, HTMLAttributes<HTMLOListElement>>(
  function WindowedList(props, ref) {
    return <ol {...props} ref={ref} className="messages-inner" aria-live="polite" />;
  },
);
function WindowedItem({
  item,
  children,
  ...props
}: HTMLAttributes<HTMLLIElement> & { item: MessageRow }) {
  return (
    <RowItem row={item} focusClientId={null} extra={props}>
      {children}
    </RowItem>
  );
}

/** The <li> of a row: its test id, state and classes, whichever list holds it. */
function RowItem({
  row,
  focusClientId,
  extra,
  children,
}: {
  row: MessageRow;
  focusClientId: string | null;
  extra?: HTMLAttributes<HTMLLIElement>;
  children: ReactNode;
}) {
  if (row.kind === 'day')
    return (
      <li {...extra} className="day-divider" data-testid="chat-day-divider">
        {children}
      </li>
    );
  if (row.kind === 'unread')
    return (
      <li {...extra} className="unread-divider" data-testid="chat-unread-divider">
        {children}
      </li>
    );
  const m = row.message;
  return (
    <li
      {...extra}
      data-testid="chat-message"
      data-state={m.state}
      data-client-id={m.clientId}
      data-group-start={row.startsGroup ? 'true' : 'false'}
      className={`message state-${m.state}${
        row.startsGroup ? ' group-start' : ' grouped'
      }${m.clientId === focusClientId ? ' focused' : ''}`}
    >
      {children}
    </li>
  );
}

/** What a row shows inside its <li>. */
function Row({
  row,
  now,
  language,
  labels,
  selfId,
  ownerId,
  onFocusMessage,
  mentions,
  focused,
}: {
  row: MessageRow;
  now: number;
  language: string;
  labels: ReadonlyMap<string, string>;
  selfId: string;
  ownerId: string | null;
  onFocusMessage(clientId: string, seq: number | null): void;
  mentions: Mentions;
  focused: boolean;
}) {
  const { t } = useTranslation();
  if (row.kind === 'day')
    return (
      <span>
        {dayLabel(row.day, now, language, {
          today: t('chats.today'),
          yesterday: t('chats.yesterday'),
        })}
      </span>
    );
  if (row.kind === 'unread') return <span>{t('chats.newMessages')}</span>;
  const m = row.message;
  const own = m.senderId === selfId;
  const name = own
    ? `${m.senderName} (${t('chats.you')})`
    : (labels.get(m.senderId) ?? m.senderName);
  const stateText = t(`chats.state.${m.state}`, { reason: m.failure ?? '' });
  const time = clockTime(messageTime(m), language);
  const iso = new Date(messageTime(m)).toISOString();
  return (
    <div className={`message-row${own ? ' own' : ''}${focused ? ' focused' : ''}`}>
      <div className="message-gutter">
        {row.startsGroup ? (
          <Avatar userId={m.senderId} name={m.senderName} />
        ) : (
          <time className="message-hover-time" dateTime={iso}>
            {time}
          </time>
        )}
      </div>
      <div className="message-content">
        {row.startsGroup ? (
          <div className="message-meta">
            <strong>{name}</strong> <time dateTime={iso}>{time}</time>
          </div>
        ) : null}
        {m.replyTo ? (
          <button
            type="button"
            className="message-reply-quote"
            data-testid="chat-message-reply-quote"
            aria-label={t('chats.replyQuoteLabel', { name: m.replyTo.senderName })}
            onClick={() => onFocusMessage(m.replyTo!.clientId, m.replyTo!.seq)}
          >
            <strong>{labels.get(m.replyTo.senderId) ?? m.replyTo.senderName}</strong>{' '}
            <span>{m.replyTo.deleted ? t('chats.messageDeleted') : m.replyTo.body}</span>
          </button>
        ) : null}
        {m.deleted ? (
          <p className="message-body message-deleted" data-testid="chat-message-deleted">
            {t('chats.messageDeleted')}
          </p>
        ) : m.body || m.files.length === 0 ? (
          <div className="message-body">
            <MessageText
              body={m.body}
              mentions={mentions}
              suffix={
                m.editedAt !== null ? (
                  <span
                    className="message-edited"
                    data-testid="chat-message-edited"
                    title={new Date(m.editedAt).toLocaleString(language)}
                  >
                    {' '}
                    {t('chats.edited')}
                  </span>
                ) : null
              }
            />
          </div>
        ) : null}
        {!m.deleted && m.files.length > 0 ? <MessageFiles message={m} /> : null}
        <MessageReactions message={m} />
        {m.state === 'failed' ? (
          <p className="message-failure">
            {stateText}{' '}
            <Button
              size="small"
              testId="chat-message-retry"
              onClick={() => void call('messages.retry', { clientId: m.clientId })}
            >
              {t('chats.retry')}
            </Button>
          </p>
        ) : null}
      </div>
      {!m.deleted && m.state !== 'failed' ? (
        <MessageActions message={m} selfId={selfId} ownerId={ownerId} />
      ) : null}
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
    </div>
  );
}
