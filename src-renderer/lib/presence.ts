import { useEffect } from 'react';
import { call } from './api';

/** Tells the server "away" while the window is hidden and "online" when it is back. */
export function usePresenceFromVisibility(): void {
  useEffect(() => {
    const report = () => {
      const presence = document.visibilityState === 'hidden' ? 'away' : 'online';
      call('presence.set', { presence }).catch(() => {
        // Offline or not signed in: the server learns the state on the next sign-in anyway.
      });
    };
    document.addEventListener('visibilitychange', report);
    return () => document.removeEventListener('visibilitychange', report);
  }, []);
}
