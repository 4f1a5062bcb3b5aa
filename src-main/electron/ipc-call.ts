import type { Envelope } from '../../src-shared/ipc/envelope';
import type { Logger } from '../../src-shared/log';
import type { Dispatch } from '../services/api/dispatcher';
import { isTrustedSender } from './guards';

/** One IPC call: refused unless it comes from an app frame, otherwise dispatched (parsed there). */
export function handleIpcCall(
  dispatch: Dispatch,
  logger: Logger,
  senderUrl: string | undefined,
  channel: string,
  input: unknown,
): Promise<Envelope<unknown>> {
  if (!isTrustedSender(senderUrl)) {
    logger.warn('ipc: call from an untrusted frame refused', { channel, url: senderUrl ?? null });
    return Promise.resolve({
      ok: false,
      error: { code: 'forbidden', message: 'This frame may not call the app.' },
    });
  }
  return dispatch(channel, input);
}
