import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomSummary } from '../../../src-shared/ipc/chat-types';
import { call } from '../../lib/api';
import { Composer } from './Composer';
import { InviteShare } from './InviteShare';
import { errorText } from './error-text';
import { MessageList } from './MessageList';
import { memberLabels } from './member-names';
import { useRoomMessages } from './use-room-messages';
import { joinCall } from '../call/call-session';
import { useCallState } from '../call/call-store';

interface Props {
  room: RoomSummary;
  selfId: string;
  focus: { clientId: string; seq: number | null } | null;
  onOpenRoom(roomId: string): void;
  onLeft(): void;
}

export function RoomView({ room, selfId, focus, onOpenRoom, onLeft }: Props) {
  const { t } = useTranslation();
  const messages = useRoomMessages(room.id);
  const labels = memberLabels(room.members);
  const [error, setError] = useState<string | null>(null);
  const calls = useCallState();
  const running = calls.snapshot?.active.find((c) => c.roomId === room.id);
  const inThisCall = calls.call?.roomId === room.id;
  const openCall = () => {
    location.hash = '#/call';
    if (!inThisCall) void joinCall(room.id);
  };

  // What is on screen counts as read.
  const newest = messages.messages[messages.messages.length - 1]?.seq ?? null;
  useEffect(() => {
    if (room.unread > 0 && document.visibilityState === 'visible')
      void call('rooms.markRead', { roomId: room.id });
  }, [room.id, room.unread, newest]);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(errorText(err, t));
    }
  };

  return (
    <section className="room-view" aria-label={room.name}>
      <header className="room-header">
        <h2>{room.name}</h2>
        {running ? (
          <button type="button" data-testid="call-join" disabled={calls.joining} onClick={openCall}>
            {inThisCall
              ? t('call.backToCall')
              : t('call.joinCount', { count: running.participants.length })}
          </button>
        ) : (
          <button
            type="button"
            data-testid="call-start"
            disabled={calls.joining}
            onClick={openCall}
          >
            {t('call.start')}
          </button>
        )}
        {room.inviteCode ? (
          <div className="room-invite">
            <InviteShare code={room.inviteCode} />
            {room.ownerId === selfId ? (
              <button
                type="button"
                data-testid="chat-invite-reset"
                title={t('chats.inviteResetHint')}
                onClick={() =>
                  void act(async () => {
                    if (window.confirm(t('chats.inviteResetConfirm')))
                      await call('rooms.resetInvite', { roomId: room.id });
                  })
                }
              >
                {t('chats.inviteReset')}
              </button>
            ) : null}
          </div>
        ) : null}
        <details className="members">
          <summary>
            {t('chats.members')} ({room.members.length})
          </summary>
          <ul>
            {room.members.map((m) => (
              <li key={m.userId} data-testid="chat-member" data-presence={m.presence}>
                <span className={`presence presence-${m.presence}`} aria-hidden="true" />
                <span data-testid="chat-member-name">{labels.get(m.userId) ?? m.name}</span>{' '}
                <span className="muted">({t(`chats.presence.${m.presence}`)})</span>
                {m.userId !== selfId ? (
                  <button
                    type="button"
                    onClick={() =>
                      void act(async () =>
                        onOpenRoom((await call('rooms.openDirect', { userId: m.userId })).id),
                      )
                    }
                  >
                    {t('chats.message')}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </details>
        {room.kind === 'group' ? (
          <button
            type="button"
            data-testid="chat-room-leave"
            onClick={() =>
              void act(async () => {
                await call('rooms.leave', { roomId: room.id });
                onLeft();
              })
            }
          >
            {t('chats.leave')}
          </button>
        ) : null}
        {error ? <p role="alert">{error}</p> : null}
      </header>
      {messages.error ? <p role="alert">{errorText(messages.error, t)}</p> : null}
      <MessageList
        room={messages}
        labels={labels}
        selfId={selfId}
        focusClientId={focus?.clientId ?? null}
        focusSeq={focus?.seq ?? null}
      />
      <Composer roomId={room.id} />
    </section>
  );
}
