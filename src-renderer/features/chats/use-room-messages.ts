import { useCallback, useEffect, useRef, useState } from 'react';
import type { LocalMessage } from '../../../src-shared/ipc/chat-types';
import { call, onEvent } from '../../lib/api';

/** Sent messages in seq order, then the unsent ones in the order they were written. */
export function byConversationOrder(a: LocalMessage, b: LocalMessage): number {
  if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
  if (a.seq === null && b.seq === null) return a.localId - b.localId;
  return a.seq === null ? 1 : -1;
}

export function mergeMessages(current: LocalMessage[], incoming: LocalMessage[]): LocalMessage[] {
  const byId = new Map(current.map((m) => [m.clientId, m]));
  for (const m of incoming) byId.set(m.clientId, m);
  return [...byId.values()].sort(byConversationOrder);
}

export interface RoomMessages {
  messages: LocalMessage[];
  hasMore: boolean;
  /** Older history could not be fetched (offline). */
  partial: boolean;
  loading: boolean;
  error: unknown;
  loadOlder(): Promise<void>;
}

/** A room's messages: the newest page, older pages on demand, and live changes from main. */
export function useRoomMessages(roomId: string): RoomMessages {
  const [messages, setMessages] = useState<LocalMessage[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [partial, setPartial] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const current = useRef(messages);
  useEffect(() => {
    current.current = messages;
  }, [messages]);
  const loadingOlder = useRef(false);

  // One hook instance per room (the view is keyed by room), so state starts empty for each.
  useEffect(() => {
    let active = true;
    const off = onEvent('messages.changed', (change) => {
      if (active && change.roomId === roomId)
        setMessages((prev) => mergeMessages(prev, change.messages));
    });
    call('messages.page', { roomId, limit: 50 }).then(
      (page) => {
        if (!active) return;
        setMessages((prev) => mergeMessages(prev, page.messages));
        setHasMore(page.hasMore);
        setPartial(page.partial);
        setLoading(false);
      },
      (err: unknown) => {
        if (!active) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => {
      active = false;
      off();
    };
  }, [roomId]);

  const loadOlder = useCallback(async () => {
    if (loadingOlder.current) return;
    const seqs = current.current.filter((m) => m.seq !== null).map((m) => m.seq!);
    const oldest = seqs.length ? Math.min(...seqs) : undefined;
    if (oldest === undefined || oldest <= 1) return;
    loadingOlder.current = true;
    try {
      const page = await call('messages.page', { roomId, beforeSeq: oldest, limit: 50 });
      setMessages((prev) => mergeMessages(prev, page.messages));
      setHasMore(page.hasMore);
      setPartial(page.partial);
    } catch (err) {
      setError(err);
    } finally {
      loadingOlder.current = false;
    }
  }, [roomId]);

  return { messages, hasMore, partial, loading, error, loadOlder };
}
