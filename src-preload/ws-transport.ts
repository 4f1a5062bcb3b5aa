/**
 * The browser host's transport: contract calls as frames over one WebSocket to the host that
 * served the page. Reconnects by itself; a call made while the host is away fails fast.
 */
import { BRIDGE_PATH, BridgeHostFrame } from '../src-shared/ipc/bridge-frames';
import type { Transport } from './bridge';

const CALL_TIMEOUT_MS = 30_000;

export function createWsTransport(url = `ws://${location.host}${BRIDGE_PATH}`): Transport {
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;
  let nextId = 1;
  let retryMs = 250;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const subscribers = new Set<(name: string, payload: unknown) => void>();

  const failAll = (message: string) => {
    for (const call of pending.values()) call.reject(new Error(message));
    pending.clear();
  };

  const connect = (): Promise<WebSocket> => {
    opened ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        retryMs = 250;
        resolve(ws);
      };
      ws.onmessage = (message) => {
        let frame;
        try {
          frame = BridgeHostFrame.parse(JSON.parse(String(message.data)));
        } catch {
          console.error('bridge: dropped a malformed frame from the host');
          return;
        }
        if (frame.kind === 'event') {
          for (const subscriber of subscribers) subscriber(frame.name, frame.payload);
          return;
        }
        const call = frame.id === null ? undefined : pending.get(frame.id);
        if (call && frame.id !== null) {
          pending.delete(frame.id);
          call.resolve(frame.result);
        }
      };
      ws.onclose = () => {
        const wasOpen = socket === ws;
        socket = null;
        opened = null;
        failAll('the app host is not reachable');
        if (!wasOpen) reject(new Error('the app host is not reachable'));
        // Keep trying so that events resume when the host is back.
        setTimeout(() => void connect().catch(() => undefined), retryMs);
        retryMs = Math.min(retryMs * 2, 5000);
      };
    });
    return opened;
  };

  void connect().catch(() => undefined);

  return {
    invoke(channel, input) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        // The limit covers waiting for the socket too: a call made while it reconnects must
        // not wait without end for a handshake that never finishes.
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`no reply to ${channel} within ${CALL_TIMEOUT_MS / 1000} s`));
        }, CALL_TIMEOUT_MS);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        const fail = (error: Error) => {
          pending.delete(id);
          clearTimeout(timer);
          reject(error);
        };
        void (socket ? Promise.resolve(socket) : connect()).then((ws) => {
          if (!pending.has(id)) return;
          ws.send(JSON.stringify({ kind: 'call', id, channel, input }));
        }, fail);
      });
    },
    subscribe(listener) {
      subscribers.add(listener);
      return () => subscribers.delete(listener);
    },
  };
}
