/**
 * The keys of the quick switcher, always listening (the switcher itself loads on first use):
 * Ctrl/Cmd+K opens or closes it; Alt+Up/Down moves between rooms from any screen, as the voice
 * command "next room" does.
 */
import { useEffect, useState } from 'react';
import { call } from '../../lib/api';
import { roomAfter, selectRoom } from '../../lib/ui-intents';

function isMac(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform);
}

export function useSwitcherKeys(): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = isMac() ? event.metaKey : event.ctrlKey;
      if (mod && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setOpen((was) => !was);
        return;
      }
      if (event.altKey && !mod && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
        event.preventDefault();
        void call('rooms.list').then((list) => {
          const next = roomAfter(list, event.key === 'ArrowDown' ? 1 : -1);
          if (!next) return;
          selectRoom(next.id);
          location.hash = '#/chats';
        });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return [open, setOpen];
}
