/**
 * What the composer of a room is doing besides writing a new message: answering one (reply) or
 * changing one's own (edit). Set by a message's actions, read by the composer of that room.
 */
import { useSyncExternalStore } from 'react';
import type { LocalMessage } from '../../../src-shared/ipc/chat-types';

export type ComposeIntent = { kind: 'reply' | 'edit'; message: LocalMessage } | null;

const intents = new Map<string, ComposeIntent>();
const listeners = new Set<() => void>();

export function setComposeIntent(roomId: string, intent: ComposeIntent): void {
  intents.set(roomId, intent);
  for (const listener of listeners) listener();
}

export function useComposeIntent(roomId: string): ComposeIntent {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => intents.get(roomId) ?? null,
  );
}
