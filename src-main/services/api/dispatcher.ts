/**
 * Runs contract calls for any transport (Electron IPC, the web bridge): looks the channel up,
 * parses the input with its schema, runs the handler, checks the output, and always answers with
 * an envelope. Bad input is the caller's error (typed reply, logged); it never throws.
 */
import type * as z from 'zod';
import {
  channels,
  isChannelName,
  type ChannelName,
  type ChannelOutput,
  type Channels,
} from '../../../src-shared/ipc/contract';
import {
  ApiError,
  describeZodError,
  invalidInput,
  type Envelope,
} from '../../../src-shared/ipc/envelope';
import type { Logger } from '../../../src-shared/log';

export type ApiHandlers = {
  [C in ChannelName]: (
    input: z.output<Channels[C]['input']>,
  ) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
};

export type Dispatch = (channel: unknown, input: unknown) => Promise<Envelope<unknown>>;

export function createDispatcher(handlers: ApiHandlers, logger: Logger): Dispatch {
  return async (channel, input) => {
    if (!isChannelName(channel)) {
      const shown = typeof channel === 'string' ? channel.slice(0, 100) : typeof channel;
      logger.warn('api: unknown channel', { channel: shown });
      return {
        ok: false,
        error: { code: 'unknown_channel', message: `Unknown channel: ${shown}` },
      };
    }
    const spec = channels[channel];
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      const error = invalidInput(channel, parsed.error);
      logger.warn('api: invalid input', { channel, issues: error.issues });
      return { ok: false, error: error.toBody() };
    }
    try {
      const handler = handlers[channel] as (value: unknown) => unknown;
      const output = await handler(parsed.data);
      const checked = spec.output.safeParse(output);
      if (!checked.success) {
        logger.error('api: handler returned a value outside its schema', {
          channel,
          issues: describeZodError(checked.error),
        });
        return {
          ok: false,
          error: { code: 'invalid_output', message: `Internal error in ${channel}` },
        };
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof ApiError) {
        logger.info('api: call refused', { channel, code: error.code, message: error.message });
        return { ok: false, error: error.toBody() };
      }
      logger.error('api: handler failed', { channel, error });
      return { ok: false, error: { code: 'internal', message: `Internal error in ${channel}` } };
    }
  };
}
