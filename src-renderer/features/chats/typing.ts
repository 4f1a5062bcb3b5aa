/**
 * Who is typing where: "typing.changed" events from main, each shown for TYPING_SHOWN_MS unless it
 * comes again, and gone at once when that person's message arrives. And the other way, my own
 * typing, told to the room at most every TYPING_EVERY_MS.
 */
import { useEffect, useState } from 'react';
import { call, onEvent } from '../../lib/api';

import { TYPING_EVERY_MS, TYPING_SHOWN_MS } from '../../../src-shared/protocol/limits';

/** The people typing in a room now (user ids, in the order they started). */
export function useTyping(roomId: string): string[] {
  const [typing, setTyping] = useState<Map<string, number>>(() => new Map());
  useEffect(() => {
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    const drop = (userId: string) => {
      clearTimeout(timers.get(userId));
      timers.delete(userId);
      setTyping((current) => {
        if (!current.has(userId)) return current;
        const next = new Map(current);
        next.delete(userId);
        return next;
      });
    };
    const offTyping = onEvent('typing.changed', ({ roomId: where, userId }) => {
      if (where !== roomId) return;
      clearTimeout(timers.get(userId));
      timers.set(
        userId,
        setTimeout(() => drop(userId), TYPING_SHOWN_MS),
      );
      setTyping((current) =>
        current.has(userId) ? current : new Map(current).set(userId, Date.now()),
      );
    });
    // Their message is what they were typing: the line goes as it arrives.
    const offMessages = onEvent('messages.changed', (change) => {
      if (change.roomId !== roomId) return;
      // (A message just stored, not an older one whose reactions or text changed.)
      for (const message of change.messages)
        if (message.seq !== null && Date.now() - message.createdAt < TYPING_SHOWN_MS)
          drop(message.senderId);
    });
    return () => {
      offTyping();
      offMessages();
      for (const timer of timers.values()) clearTimeout(timer);
    };
  }, [roomId]);
  return [...typing.keys()];
}

/** Returns a function to call on each keystroke: it tells the room at most every few seconds. */
export function typingNotifier(roomId: string): () => void {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < TYPING_EVERY_MS) return;
    last = now;
    void call('rooms.typing', { roomId }).catch(() => undefined);
  };
}
