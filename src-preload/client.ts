/** The typed client of the contract: parses every reply and event on arrival (receiving side). */
import { channels, events, isEventName, type EventName } from '../src-shared/ipc/contract';
import { EnvelopeSchema, describeZodError, type Envelope } from '../src-shared/ipc/envelope';
import type { ApiBridge, Transport } from './bridge';

export function createApiBridge(transport: Transport): ApiBridge {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();

  transport.subscribe((name, payload) => {
    if (!isEventName(name)) return;
    const parsed = events[name].safeParse(payload);
    if (!parsed.success) {
      console.error(`api: dropped malformed event ${name}`, describeZodError(parsed.error));
      return;
    }
    for (const listener of listeners.get(name) ?? [])
      (listener as (p: unknown) => void)(parsed.data);
  });

  return {
    async call(channel, input) {
      let raw: unknown;
      try {
        raw = await transport.invoke(channel, input);
      } catch (error) {
        return { ok: false, error: { code: 'unavailable', message: (error as Error).message } };
      }
      const envelope = EnvelopeSchema.safeParse(raw);
      if (!envelope.success) {
        return {
          ok: false,
          error: { code: 'invalid_output', message: `Malformed reply to ${channel}` },
        };
      }
      if (!envelope.data.ok) return envelope.data;
      const spec = channels[channel] as
        { output: { safeParse(v: unknown): { success: boolean; data?: unknown } } } | undefined;
      if (!spec) return { ok: true, value: envelope.data.value } as Envelope<never>;
      const output = spec.output.safeParse(envelope.data.value);
      if (!output.success) {
        return {
          ok: false,
          error: {
            code: 'invalid_output',
            message: `Reply to ${channel} does not match its schema`,
          },
        };
      }
      return { ok: true, value: output.data } as Envelope<never>;
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => {
        set.delete(listener as (payload: never) => void);
      };
    },
  };
}
