/**
 * What the renderer sees as `window.api`, whichever transport is underneath. Calls resolve to
 * envelopes (not thrown errors) because Electron's contextBridge drops custom error fields; the
 * renderer's api module turns failed envelopes into ApiError.
 */
import type {
  ChannelInput,
  ChannelName,
  ChannelOutput,
  EventName,
  EventPayload,
} from '../src-shared/ipc/contract';
import type { Envelope } from '../src-shared/ipc/envelope';

export interface ApiBridge {
  call<C extends ChannelName>(
    channel: C,
    input: ChannelInput<C>,
  ): Promise<Envelope<ChannelOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The raw carrier of calls and events: Electron IPC or the browser host's WebSocket. */
export interface Transport {
  invoke(channel: string, input: unknown): Promise<unknown>;
  subscribe(listener: (name: string, payload: unknown) => void): () => void;
}
