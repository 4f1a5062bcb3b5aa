import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLive } from '../../lib/api';
import { ConnectionDetails } from './ConnectionDetails';
import { CurrentServer } from './CurrentServer';
import { Onboarding } from './Onboarding';
import { RoomList } from './RoomList';
import { RoomView } from './RoomView';
import { SearchPanel } from './SearchPanel';
import { selectRoom, useUiIntents } from '../../lib/ui-intents';
import { Info, MessagesSquare } from 'lucide-react';
import { Avatar } from '../../ui/Avatar';
import { EmptyState } from '../../ui/EmptyState';
import { Popover } from '../../ui/Popover';
import { Skeleton } from '../../ui/Skeleton';
import { Button } from '../../ui/Button';

/** Whether the room sidebar is shown (collapsed by the user to give the conversation room). */
let sidebarShown = true;

export default function ChatsScreen() {
  const { t } = useTranslation();
  const identity = useLive('identity.get', 'identity.changed');
  const rooms = useLive('rooms.list', 'rooms.changed');
  const sync = useLive('sync.status', 'sync.changed');
  const selected = useUiIntents().selectedRoomId;
  const setSelected = selectRoom;
  const [sidebarOpen, setSidebarOpen] = useState(sidebarShown);
  const [focus, setFocus] = useState<{ clientId: string; seq: number | null } | null>(null);

  const list = rooms.value ?? [];
  // A valid selection: the first room when none is chosen or the chosen one is gone.
  const current = list.find((r) => r.id === selected) ?? list[0] ?? null;

  if (identity.error) return <p role="alert">{identity.error}</p>;
  if (identity.value === null && identity.error === null && !rooms.value)
    return (
      <section data-testid="screen-chats" className="chats-loading">
        <Skeleton lines={8} />
      </section>
    );
  if (!identity.value)
    return (
      <section data-testid="screen-chats">
        <h1>{t('chats.title')}</h1>
        <Onboarding />
      </section>
    );

  const room = current;
  return (
    <section data-testid="screen-chats" className={sidebarOpen ? 'chats' : 'chats side-collapsed'}>
      <aside className="chats-side" aria-label={t('chats.rooms')} hidden={!sidebarOpen}>
        <div className="chats-side-top">
          <SearchPanel
            onOpen={(hit) => {
              setSelected(hit.message.roomId);
              setFocus({ clientId: hit.message.clientId, seq: hit.message.seq });
            }}
          />
        </div>
        <div className="chats-side-scroll">
          <RoomList
            selfId={identity.value.userId}
            rooms={list}
            selected={room?.id ?? null}
            onSelect={(id) => {
              setSelected(id);
              setFocus(null);
            }}
          />
        </div>
        <footer className="chats-side-footer">
          <div className="self-row">
            <Avatar userId={identity.value.userId} name={identity.value.displayName} size={32} />
            <div className="self-text">
              <strong>{identity.value.displayName}</strong>
              <span className="muted" data-testid="chat-own-fingerprint">
                <span className="ui-visually-hidden">{identity.value.displayName} · </span>
                {t('chats.yourFingerprint', { fingerprint: identity.value.fingerprint })}
              </span>
            </div>
          </div>
          {sync.value && sync.value.outbox > 0 ? (
            <p className="muted" data-testid="chat-outbox">
              {t('chats.outbox', { count: sync.value.outbox })}
            </p>
          ) : null}
          <CurrentServer />
          <Popover
            label={t('connection.remote')}
            className="connection-popover-body"
            side="top"
            align="start"
            testId="chats-connection-popover"
            trigger={
              <Button
                variant="ghost"
                size="small"
                className="connection-popover-toggle"
                testId="chats-connection-toggle"
              >
                <Info aria-hidden="true" />
                {t('connection.remote')}
              </Button>
            }
          >
            <ConnectionDetails />
          </Popover>
        </footer>
      </aside>
      {room ? (
        <RoomView
          key={room.id}
          room={room}
          selfId={identity.value.userId}
          focus={focus}
          onFocusMessage={setFocus}
          onOpenRoom={(id) => {
            setSelected(id);
            setFocus(null);
          }}
          onLeft={() => setSelected(null)}
          sidebarOpen={sidebarOpen}
          onToggleSidebar={() => {
            sidebarShown = !sidebarOpen;
            setSidebarOpen(!sidebarOpen);
          }}
        />
      ) : (
        <EmptyState
          icon={<MessagesSquare aria-hidden="true" />}
          title={t('chats.emptyTitle')}
          testId="chat-empty"
        >
          <p>{t('chats.noRooms')}</p>
        </EmptyState>
      )}
    </section>
  );
}
