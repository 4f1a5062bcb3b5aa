/** Drives a browser host from a test the way its page does: contract calls over the bridge. */
import WebSocket from 'ws';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../src-shared/ipc/contract';
import { ApiError } from '../../src-shared/ipc/api-error';
import { BRIDGE_PATH } from '../../src-shared/ipc/bridge-frames';
import { hostAccess } from './host-access';

export interface BridgeClient {
  call<C extends ChannelName>(channel: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>>;
  closed: Promise<void>;
  close(): void;
}

/** Connects to a host's bridge (its printed URL) as its page would: its Origin and key cookie. */
export async function connectBridge(pageUrl: string): Promise<BridgeClient> {
  const access = hostAccess(pageUrl);
  const socket = new WebSocket(
    `${access.origin.replace('http', 'ws')}${BRIDGE_PATH}`,
    access.socketOptions,
  );
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.kind !== 'result' || frame.id === null) return; // events are not needed here
    const w = waiting.get(frame.id);
    if (!w) return;
    waiting.delete(frame.id);
    if (frame.result.ok) w.resolve(frame.result.value);
    else w.reject(ApiError.fromBody(frame.result.error));
  });
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      for (const w of waiting.values()) w.reject(new Error('bridge closed'));
      waiting.clear();
      resolve();
    }),
  );
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    call(channel, input) {
      if (socket.readyState !== WebSocket.OPEN) return Promise.reject(new Error('bridge closed'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        socket.send(JSON.stringify({ kind: 'call', id, channel, input }));
      });
    },
    closed,
    close: () => socket.close(),
  };
}
