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

export default function ChatsScreen() {
  const { t } = useTranslation();
  const identity = useLive('identity.get', 'identity.changed');
  const rooms = useLive('rooms.list', 'rooms.changed');
  const sync = useLive('sync.status', 'sync.changed');
  const selected = useUiIntents().selectedRoomId;
  const setSelected = selectRoom;
  const [focus, setFocus] = useState<{ clientId: string; seq: number | null } | null>(null);

  const list = rooms.value ?? [];
  // A valid selection: the first room when none is chosen or the chosen one is gone.
  const current = list.find((r) => r.id === selected) ?? list[0] ?? null;

  if (identity.error) return <p role="alert">{identity.error}</p>;
  if (identity.value === null && identity.error === null && !rooms.value)
    return (
      <p className="muted" data-testid="screen-chats">
        {t('app.loading')}
      </p>
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
    <section data-testid="screen-chats" className="chats">
      <aside className="chats-side">
        <SearchPanel
          onOpen={(hit) => {
            setSelected(hit.message.roomId);
            setFocus({ clientId: hit.message.clientId, seq: hit.message.seq });
          }}
        />
        <RoomList
          selfId={identity.value.userId}
          rooms={list}
          selected={room?.id ?? null}
          onSelect={(id) => {
            setSelected(id);
            setFocus(null);
          }}
        />
        <p className="muted" data-testid="chat-own-fingerprint">
          {identity.value.displayName} ·{' '}
          {t('chats.yourFingerprint', { fingerprint: identity.value.fingerprint })}
        </p>
        {sync.value && sync.value.outbox > 0 ? (
          <p className="muted" data-testid="chat-outbox">
            {t('chats.outbox', { count: sync.value.outbox })}
          </p>
        ) : null}
        <CurrentServer />
        <details>
          <summary>{t('connection.remote')}</summary>
          <ConnectionDetails />
        </details>
      </aside>
      {room ? (
        <RoomView
          key={room.id}
          room={room}
          selfId={identity.value.userId}
          focus={focus}
          onOpenRoom={(id) => {
            setSelected(id);
            setFocus(null);
          }}
          onLeft={() => setSelected(null)}
        />
      ) : (
        <p className="muted">{t('chats.pickRoom')}</p>
      )}
    </section>
  );
}
