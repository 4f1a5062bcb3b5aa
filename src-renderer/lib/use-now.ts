import { useEffect, useState } from 'react';
import { dayOf } from '../features/chats/message-groups';

/** Now, refreshed at each local midnight (so "Today", "Yesterday" and list times move on by themselves). */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const next = dayOf(now) + 24 * 60 * 60 * 1000 + 1000;
    const timer = setTimeout(() => setNow(Date.now()), next - now);
    return () => clearTimeout(timer);
  }, [now]);
  return now;
}
