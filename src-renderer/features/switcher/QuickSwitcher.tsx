import { Command } from 'cmdk';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SCREENS } from '../../app/screens';
import { call } from '../../lib/api';
import { selectRoom } from '../../lib/ui-intents';
import type { RoomSummary } from '../../../src-shared/ipc/chat-types';
import { Avatar } from '../../ui/Avatar';
import { Dialog } from '../../ui/Dialog';

/**
 * The quick switcher over rooms, people and screens: cmdk's filtering and keyboard list in a
 * native modal dialog (focus stays inside, Esc closes). Loaded on first Ctrl/Cmd+K; mounted
 * while open (see switcher-keys.ts).
 */
function openRoom(roomId: string): void {
  selectRoom(roomId);
  location.hash = '#/chats';
}

export default function QuickSwitcher({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const [rooms, setRooms] = useState<RoomSummary[]>([]);
  const [query, setQuery] = useState('');

  useEffect(() => {
    void call('rooms.list').then(setRooms, () => setRooms([]));
  }, []);

  const go = (action: () => void) => {
    action();
    onClose();
  };
  const groups = rooms.filter((r) => r.kind === 'group');
  const people = rooms.filter((r) => r.kind === 'direct');
  return (
    // The dialog would focus its first focusable element (cmdk's root); the field is what to type in.
    <Dialog
      label={t('switcher.title')}
      className="quick-switcher"
      testId="switcher"
      initialFocus="[cmdk-input]"
      onClose={onClose}
    >
      <Command label={t('switcher.title')} loop>
        <Command.Input
          autoFocus
          value={query}
          onValueChange={setQuery}
          placeholder={t('switcher.placeholder')}
          data-testid="switcher-input"
        />
        <Command.List>
          <Command.Empty>{t('switcher.nothing')}</Command.Empty>
          {groups.length > 0 ? (
            <Command.Group heading={t('switcher.rooms')}>
              {groups.map((room) => (
                <Command.Item
                  key={room.id}
                  value={`room ${room.name} ${room.id}`}
                  data-testid="switcher-item"
                  onSelect={() => go(() => openRoom(room.id))}
                >
                  <span className="room-mark" aria-hidden="true">
                    #
                  </span>
                  {room.name}
                </Command.Item>
              ))}
            </Command.Group>
          ) : null}
          {people.length > 0 ? (
            <Command.Group heading={t('switcher.people')}>
              {people.map((room) => {
                // A direct room is named after the other person.
                const other = room.members.find((m) => m.name === room.name) ?? null;
                return (
                  <Command.Item
                    key={room.id}
                    value={`person ${room.name} ${room.id}`}
                    data-testid="switcher-item"
                    onSelect={() => go(() => openRoom(room.id))}
                  >
                    <Avatar userId={other?.userId ?? room.id} name={room.name} size={20} />
                    {room.name}
                  </Command.Item>
                );
              })}
            </Command.Group>
          ) : null}
          <Command.Group heading={t('switcher.screens')}>
            {SCREENS.map((id) => (
              <Command.Item
                key={id}
                value={`screen ${t(`nav.${id}`)} ${id}`}
                data-testid="switcher-item"
                onSelect={() => go(() => (location.hash = `#/${id}`))}
              >
                {t(`nav.${id}`)}
              </Command.Item>
            ))}
          </Command.Group>
        </Command.List>
        <p className="quick-switcher-hint">{t('switcher.hint')}</p>
      </Command>
    </Dialog>
  );
}
