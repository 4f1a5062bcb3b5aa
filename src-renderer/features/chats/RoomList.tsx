import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomSummary } from '../../../src-shared/ipc/chat-types';
import { MAX_ROOM_NAME_CHARS } from '../../../src-shared/protocol/limits';
import { call } from '../../lib/api';
import { errorText } from './error-text';
import { JoinInvite } from './JoinInvite';
import { AtSign, BellOff, Plus } from 'lucide-react';
import { Avatar } from '../../ui/Avatar';
import { IconButton } from '../../ui/IconButton';
import { listTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { Button } from '../../ui/Button';
import { Badge } from '../../ui/Badge';
import { plainText } from './MessageText';

interface Props {
  rooms: RoomSummary[];
  selected: string | null;
  onSelect(roomId: string): void;
  /** This user's id: a pending request from someone else is listed apart, to accept or block. */
  selfId: string;
}

/** A direct conversation someone who shares no room with this user opened: not yet accepted. */
export function isIncomingRequest(room: RoomSummary, selfId: string): boolean {
  return room.request?.state === 'pending' && room.request.from !== selfId;
}

/** The rooms, with unread counts, plus the forms to create one and to join one by code. */
export function RoomList({ rooms: all, selected, onSelect, selfId }: Props) {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<RoomSummary>) => {
    setBusy(true);
    setError(null);
    try {
      const room = await work();
      onSelect(room.id);
      return true;
    } catch (err) {
      setError(errorText(err, t));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => call('rooms.create', { name: name.trim() }))) {
      setName('');
      setCreating(false);
    }
  };

  const requests = all.filter((r) => isIncomingRequest(r, selfId));
  const rooms = all.filter((r) => !isIncomingRequest(r, selfId));
  const groups = rooms.filter((r) => r.kind !== 'direct');
  const directs = rooms.filter((r) => r.kind === 'direct');
  const respond = (roomId: string, accept: boolean) =>
    void (async () => {
      setError(null);
      try {
        if (!accept && !window.confirm(t('chats.requestBlockConfirm'))) return;
        const room = await call('rooms.respondRequest', { roomId, accept });
        if (room) onSelect(room.id);
      } catch (err) {
        setError(errorText(err, t));
      }
    })();

  return (
    <div className="room-list">
      {requests.length > 0 ? (
        <>
          <h2>{t('chats.requests')}</h2>
          <ul data-testid="chat-requests">
            {requests.map((room) => {
              const from = room.members.find((m) => m.userId === room.request?.from);
              return (
                <li key={room.id} data-testid="chat-request" data-room-id={room.id}>
                  <Button onClick={() => onSelect(room.id)}>
                    <span className="room-name">
                      {t('chats.requestFrom', {
                        name: from?.name ?? room.name,
                        fingerprint: from?.fingerprint ?? '',
                      })}
                    </span>
                    {room.lastMessage ? (
                      <span className="room-last muted">
                        {plainText(room.lastMessage.body).slice(0, 60)}
                      </span>
                    ) : null}
                  </Button>
                  <Button testId="chat-request-accept" onClick={() => respond(room.id, true)}>
                    {t('chats.requestAccept')}
                  </Button>
                  <Button
                    variant="danger"
                    testId="chat-request-block"
                    onClick={() => respond(room.id, false)}
                  >
                    {t('chats.requestBlock')}
                  </Button>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      <div className="room-section-head">
        <h2>{t('chats.rooms')}</h2>
        {creating ? null : (
          <IconButton
            label={t('chats.createRoom')}
            icon={<Plus aria-hidden="true" />}
            data-testid="chat-room-create"
            className="small"
            onClick={() => setCreating(true)}
          />
        )}
      </div>
      {creating ? (
        <form onSubmit={(e) => void create(e)} className="inline-form room-create-form">
          <input
            data-testid="chat-room-name-input"
            aria-label={t('chats.roomName')}
            placeholder={t('chats.roomName')}
            value={name}
            maxLength={MAX_ROOM_NAME_CHARS}
            autoFocus
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setCreating(false)}
          />
          <Button
            size="small"
            type="submit"
            testId="chat-room-create-submit"
            disabled={busy || !name.trim()}
          >
            {t('chats.create')}
          </Button>
          <Button variant="ghost" size="small" onClick={() => setCreating(false)}>
            {t('chats.cancel')}
          </Button>
        </form>
      ) : null}
      {rooms.length === 0 ? <p className="muted room-list-empty">{t('chats.noRooms')}</p> : null}
      <RoomRows rooms={groups} selected={selected} selfId={selfId} onSelect={onSelect} />
      {directs.length > 0 ? (
        <>
          <div className="room-section-head">
            <h2>{t('chats.directMessages')}</h2>
          </div>
          <RoomRows rooms={directs} selected={selected} selfId={selfId} onSelect={onSelect} />
        </>
      ) : null}
      <JoinInvite onJoined={(room) => onSelect(room.id)} />
      {error ? (
        <p role="alert" data-testid="chat-rooms-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Rows of rooms: avatar (or #), name, last message's time, unread count, and a preview line. */
function RoomRows({
  rooms,
  selected,
  selfId,
  onSelect,
}: {
  rooms: RoomSummary[];
  selected: string | null;
  selfId: string;
  onSelect(roomId: string): void;
}) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  return (
    <ul>
      {rooms.map((room) => {
        const other = room.kind === 'direct' ? room.members.find((m) => m.userId !== selfId) : null;
        return (
          <li key={room.id}>
            <Button
              className={room.unread > 0 ? 'room-item has-unread' : 'room-item'}
              testId="chat-room-item"
              data-room-id={room.id}
              aria-current={room.id === selected ? 'true' : undefined}
              onClick={() => onSelect(room.id)}
            >
              {other ? (
                <Avatar
                  userId={other.userId}
                  name={other.name}
                  size={32}
                  presence={other.presence}
                />
              ) : (
                <span className="room-mark" aria-hidden="true">
                  #
                </span>
              )}
              <span className="room-name">
                {room.kind === 'direct' ? (
                  <span className="ui-visually-hidden">{t('chats.direct')}: </span>
                ) : null}
                {room.name}
                {room.notify !== 'all' ? (
                  <span
                    className="room-notify"
                    role="img"
                    aria-label={t(`notify.levels.${room.notify}`)}
                    data-testid="chat-room-notify-mark"
                    data-level={room.notify}
                  >
                    {room.notify === 'never' ? <BellOff /> : <AtSign />}
                  </span>
                ) : null}
              </span>
              {room.lastMessage ? (
                <time className="room-time" dateTime={new Date(room.lastMessage.at).toISOString()}>
                  {listTime(room.lastMessage.at, now, i18n.language)}
                </time>
              ) : (
                <span />
              )}
              <span className="room-last">
                {room.lastMessage
                  ? // Only a deleted message has no text.
                    `${room.lastMessage.senderName}: ${plainText(room.lastMessage.body).slice(0, 80) || t('chats.messageDeleted')}`
                  : t('chats.noMessagesYet')}
              </span>
              {room.mentions > 0 ? (
                <Badge
                  tone="live"
                  className="mention-badge"
                  label={t('chats.mentionsCount', { count: room.mentions })}
                  testId="chat-room-mentions"
                >
                  @{room.mentions > 9 ? '9+' : room.mentions}
                </Badge>
              ) : null}
              {room.unread > 0 ? (
                <Badge
                  tone={room.notify === 'never' ? 'neutral' : 'accent'}
                  label={t('chats.unread', { count: room.unread })}
                >
                  {room.unread > 99 ? '99+' : room.unread}
                </Badge>
              ) : null}
            </Button>
          </li>
        );
      })}
    </ul>
  );
}
