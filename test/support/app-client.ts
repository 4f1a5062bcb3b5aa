/** Typed contract calls straight into a Services container (no transport), failing loudly. */
import type { Services } from '../../src-main/services/container';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../src-shared/ipc/contract';
import { ApiError } from '../../src-shared/ipc/api-error';
import { waitFor } from './ws-client';

export type AppCall = <C extends ChannelName>(
  channel: C,
  input?: ChannelInput<C>,
) => Promise<ChannelOutput<C>>;

export function appClient(services: Services): AppCall {
  return async (channel, input) => {
    const result = await services.dispatch(channel, input);
    if (!result.ok) throw ApiError.fromBody(result.error);
    return result.value as never;
  };
}

/** Waits until the sync engine has signed in and caught up. */
export function waitReady(services: Services, timeoutMs = 10_000): Promise<unknown> {
  return waitFor(() => services.sync.status().phase === 'ready', timeoutMs, 'sync ready');
}
