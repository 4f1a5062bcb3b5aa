import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NotifyLevel, type RoomSummary } from '../../../src-shared/ipc/chat-types';
import { call } from '../../lib/api';
import { Composer } from './Composer';
import { TypingLine } from './TypingLine';
import { SeenBy } from './SeenBy';
import { ImageViewer } from './ImageViewer';
import { attachFiles } from './attachments';
import { InviteShare } from './InviteShare';
import { errorText } from './error-text';
import { MessageList } from './MessageList';
import { memberLabels } from './member-names';
import { useRoomMessages } from './use-room-messages';
import { joinCall } from '../call/call-session';
import { useCallState } from '../call/call-store';
import {
  LogOut,
  MessageSquare,
  MoreHorizontal,
  PanelLeft,
  PanelLeftClose,
  Phone,
  PhoneCall,
  RefreshCw,
  UserPlus,
  Users,
  X,
} from 'lucide-react';
import { selectRoom } from '../../lib/ui-intents';
import { Avatar } from '../../ui/Avatar';
import { IconButton } from '../../ui/IconButton';
import { Menu, MenuItem, MenuRadioGroup, MenuSeparator } from '../../ui/Menu';
import { toast } from '../../ui/Toast';
import { Button } from '../../ui/Button';
import { mentionPattern } from '../../../src-shared/protocol/mentions';

/** Whether the room details panel is open; kept across rooms, open by default on wide windows. */
let panelOpen = typeof matchMedia === 'function' && matchMedia('(min-width: 1100px)').matches;

interface Props {
  room: RoomSummary;
  selfId: string;
  focus: { clientId: string; seq: number | null } | null;
  onFocusMessage(focus: { clientId: string; seq: number | null }): void;
  onOpenRoom(roomId: string): void;
  onLeft(): void;
  sidebarOpen: boolean;
  onToggleSidebar(): void;
}

export function RoomView({
  room,
  selfId,
  focus,
  onFocusMessage,
  onOpenRoom,
  onLeft,
  sidebarOpen,
  onToggleSidebar,
}: Props) {
  const { t } = useTranslation();
  const messages = useRoomMessages(room.id);
  const labels = memberLabels(room.members);
  const mentions = useMemo(
    () => ({
      pattern: mentionPattern(room.members.map((m) => m.name)),
      me: room.members.find((m) => m.userId === selfId)?.name ?? null,
    }),
    [room.members, selfId],
  );
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [panel, setPanel] = useState(panelOpen);
  // Where "New messages" begins: the unread count as the room was opened (it is marked read now).
  const [unreadAtOpen] = useState(room.unread);
  // A window made narrow closes the panel, which would otherwise cover the conversation.
  useEffect(() => {
    const wide = matchMedia('(min-width: 1000px)');
    const onChange = () => {
      if (!wide.matches) {
        panelOpen = false;
        setPanel(false);
      }
    };
    wide.addEventListener('change', onChange);
    return () => wide.removeEventListener('change', onChange);
  }, []);
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

  const owner = room.ownerId === selfId;
  const leave = () =>
    void act(async () => {
      const code = room.inviteCode;
      await call('rooms.leave', { roomId: room.id });
      onLeft();
      // Nothing destructive by accident: leaving is one click, and so is coming back.
      toast({
        text: t('chats.leftRoom', { room: room.name }),
        action: code
          ? {
              label: t('ui.undo'),
              testId: 'chat-leave-undo',
              run: async () => {
                try {
                  selectRoom((await call('rooms.join', { code })).id);
                } catch (err) {
                  toast({ text: errorText(err, t), tone: 'error' });
                }
              },
            }
          : undefined,
      });
    });
  const resetInvite = () =>
    void act(async () => {
      if (window.confirm(t('chats.inviteResetConfirm')))
        await call('rooms.resetInvite', { roomId: room.id });
    });
  const setNotify = (level: NotifyLevel) =>
    void act(() => call('rooms.setNotify', { roomId: room.id, level }));
  const openPanel = () => {
    panelOpen = true;
    setPanel(true);
  };
  const direct = room.kind === 'direct' ? room.members.find((m) => m.userId !== selfId) : null;

  return (
    <section className="room-view" aria-label={room.name}>
      <header className="room-header">
        <div className="room-title">
          <IconButton
            label={sidebarOpen ? t('chats.hideRooms') : t('chats.showRooms')}
            icon={
              sidebarOpen ? <PanelLeftClose aria-hidden="true" /> : <PanelLeft aria-hidden="true" />
            }
            className="small"
            data-testid="chat-sidebar-toggle"
            aria-expanded={sidebarOpen}
            onClick={onToggleSidebar}
          />
          {direct ? (
            <Avatar
              userId={direct.userId}
              name={direct.name}
              size={32}
              presence={direct.presence}
            />
          ) : (
            <span className="room-mark" aria-hidden="true">
              #
            </span>
          )}
          <h2 data-testid="chat-room-title">{room.name}</h2>
          <Button
            variant="ghost"
            size="small"
            className="member-stack"
            testId="chat-members-toggle"
            aria-expanded={panel}
            onClick={() => {
              panelOpen = !panel;
              setPanel(!panel);
            }}
          >
            <span className="member-stack-faces" aria-hidden="true">
              {room.members.slice(0, 3).map((m) => (
                <Avatar key={m.userId} userId={m.userId} name={m.name} size={20} />
              ))}
            </span>
            <span className="ui-visually-hidden">
              {t('chats.membersCount', { count: room.members.length })}
            </span>
            <span aria-hidden="true">{room.members.length}</span>
          </Button>
        </div>
        <div className="room-actions">
          {running ? (
            <Button
              variant="primary"
              testId="call-join"
              disabled={calls.joining}
              onClick={openCall}
            >
              <PhoneCall aria-hidden="true" />
              {inThisCall
                ? t('call.backToCall')
                : t('call.joinCount', { count: running.participants.length })}
            </Button>
          ) : (
            <Button testId="call-start" disabled={calls.joining} onClick={openCall}>
              <Phone aria-hidden="true" />
              {t('call.start')}
            </Button>
          )}
          <Menu
            label={t('ui.more')}
            testId="chat-room-menu-content"
            trigger={
              <IconButton
                label={t('ui.more')}
                icon={<MoreHorizontal aria-hidden="true" />}
                data-testid="chat-room-menu"
              />
            }
          >
            {room.inviteCode ? (
              <MenuItem
                icon={<UserPlus aria-hidden="true" />}
                onSelect={openPanel}
                testId="chat-room-menu-invite"
              >
                {t('chats.invitePeople')}
              </MenuItem>
            ) : null}
            <MenuItem
              icon={<Users aria-hidden="true" />}
              onSelect={openPanel}
              testId="chat-room-menu-members"
            >
              {t('chats.members')}
            </MenuItem>
            {room.inviteCode && owner ? (
              <MenuItem icon={<RefreshCw aria-hidden="true" />} onSelect={resetInvite}>
                {t('chats.inviteReset')}
              </MenuItem>
            ) : null}
            <MenuSeparator />
            <MenuRadioGroup
              label={t('notify.level')}
              value={room.notify}
              onChange={setNotify}
              options={NotifyLevel.options.map((level) => ({
                value: level,
                label: t(`notify.levels.${level}`),
                testId: `chat-room-notify-${level}`,
              }))}
            />
            {room.kind === 'group' ? (
              <>
                <MenuSeparator />
                <MenuItem
                  icon={<LogOut aria-hidden="true" />}
                  danger
                  onSelect={leave}
                  testId="chat-room-menu-leave"
                >
                  {t('chats.leave')}
                </MenuItem>
              </>
            ) : null}
          </Menu>
        </div>
      </header>
      {error ? (
        <p role="alert" className="room-error">
          {error}
        </p>
      ) : null}
      <div className="room-body">
        <div
          className={`conversation${dragging ? ' dragging' : ''}`}
          onDragEnter={(e) => {
            if (e.dataTransfer.types.includes('Files')) setDragging(true);
          }}
          onDragOver={(e) => {
            if (!e.dataTransfer.types.includes('Files')) return;
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
          }}
          onDragLeave={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
          }}
          onDrop={(e) => {
            if (!e.dataTransfer.files.length) return;
            e.preventDefault();
            setDragging(false);
            const left = attachFiles(room.id, [...e.dataTransfer.files]);
            if (left > 0) toast({ text: t('files.tooMany', { count: left }), tone: 'error' });
          }}
        >
          {dragging ? (
            <div className="drop-zone" data-testid="chat-drop-zone" aria-hidden="true">
              {t('files.dropHere', { room: room.name })}
            </div>
          ) : null}
          {messages.error ? <p role="alert">{errorText(messages.error, t)}</p> : null}
          <MessageList
            room={messages}
            labels={labels}
            selfId={selfId}
            focusClientId={focus?.clientId ?? null}
            focusSeq={focus?.seq ?? null}
            unreadAtOpen={unreadAtOpen}
            ownerId={room.ownerId}
            mentions={mentions}
            onFocusMessage={(clientId, seq) => onFocusMessage({ clientId, seq })}
          />
          <ImageViewer roomId={room.id} messages={messages.messages} />
          <div className="room-status-line">
            <TypingLine roomId={room.id} labels={labels} />
            <SeenBy
              newest={messages.messages.at(-1)}
              members={room.members}
              selfId={selfId}
              labels={labels}
            />
          </div>
          <Composer key={room.id} roomId={room.id} members={room.members} selfId={selfId} />
        </div>
        {panel ? (
          <aside
            className="room-details"
            data-testid="chat-room-details"
            aria-label={t('chats.roomDetails')}
          >
            <div className="room-details-head">
              <h3>{t('chats.roomDetails')}</h3>
              <IconButton
                label={t('ui.dismiss')}
                icon={<X aria-hidden="true" />}
                className="small"
                data-testid="chat-room-details-close"
                onClick={() => {
                  panelOpen = false;
                  setPanel(false);
                }}
              />
            </div>
            {room.inviteCode ? (
              <section className="room-invite">
                <h4>{t('chats.invitePeople')}</h4>
                <InviteShare code={room.inviteCode} />
                {owner ? (
                  <Button
                    variant="ghost"
                    size="small"
                    testId="chat-invite-reset"
                    title={t('chats.inviteResetHint')}
                    onClick={resetInvite}
                  >
                    <RefreshCw aria-hidden="true" />
                    {t('chats.inviteReset')}
                  </Button>
                ) : null}
              </section>
            ) : null}
            <section className="members">
              <h4>{t('chats.membersCount', { count: room.members.length })}</h4>
              <ul>
                {room.members.map((m) => (
                  <li key={m.userId} data-testid="chat-member" data-presence={m.presence}>
                    <Avatar userId={m.userId} name={m.name} size={24} presence={m.presence} />
                    <span className="member-text">
                      <span data-testid="chat-member-name">{labels.get(m.userId) ?? m.name}</span>
                      <span className="muted">{t(`chats.presence.${m.presence}`)}</span>
                    </span>
                    {m.userId !== selfId ? (
                      <IconButton
                        label={t('chats.message')}
                        icon={<MessageSquare aria-hidden="true" />}
                        className="small"
                        onClick={() =>
                          void act(async () =>
                            onOpenRoom((await call('rooms.openDirect', { userId: m.userId })).id),
                          )
                        }
                      />
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
            {room.kind === 'group' ? (
              <Button
                variant="danger"
                size="small"
                className="room-leave"
                testId="chat-room-leave"
                onClick={leave}
              >
                <LogOut aria-hidden="true" />
                {t('chats.leave')}
              </Button>
            ) : null}
          </aside>
        ) : null}
      </div>
    </section>
  );
}
