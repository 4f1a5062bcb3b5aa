/**
 * The renderer's way to main: `window.api` (set by the preload, whichever host runs the app),
 * with failed calls turned into thrown ApiErrors and events as React hooks.
 */
import { useEffect, useState } from 'react';
import type {
  ChannelInput,
  ChannelName,
  ChannelOutput,
  EventName,
  EventPayload,
} from '../../src-shared/ipc/contract';
import { ApiError } from '../../src-shared/ipc/api-error';
import type { ApiBridge } from '../../src-preload/bridge';

declare global {
  interface Window {
    api: ApiBridge;
  }
}

type ArgsOf<C extends ChannelName> =
  undefined extends ChannelInput<C> ? [input?: ChannelInput<C>] : [input: ChannelInput<C>];

export async function call<C extends ChannelName>(
  channel: C,
  ...[input]: ArgsOf<C>
): Promise<ChannelOutput<C>> {
  const result = await window.api.call(channel, input as ChannelInput<C>);
  if (!result.ok) throw ApiError.fromBody(result.error);
  return result.value;
}

export function onEvent<E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  return window.api.on(event, listener);
}

export interface Live<T> {
  value: T | null;
  error: string | null;
}

/** A value loaded with `channel` and kept current by `event`. */
export function useLive<C extends ChannelName, E extends EventName>(
  channel: C,
  event: E & (EventPayload<E> extends ChannelOutput<C> ? E : never),
): Live<ChannelOutput<C>> {
  const [state, setState] = useState<Live<ChannelOutput<C>>>({ value: null, error: null });
  useEffect(() => {
    let active = true;
    const off = onEvent(event, (payload) => {
      if (active) setState({ value: payload as ChannelOutput<C>, error: null });
    });
    (call as (c: C) => Promise<ChannelOutput<C>>)(channel).then(
      (value) => active && setState((s) => (s.value ? s : { value, error: null })),
      (error: Error) => active && setState({ value: null, error: error.message }),
    );
    return () => {
      active = false;
      off();
    };
  }, [channel, event]);
  return state;
}

/** A value fetched with `channel` every `intervalMs`. */
export function usePolled<C extends ChannelName>(
  channel: C,
  intervalMs: number,
): Live<ChannelOutput<C>> {
  const [state, setState] = useState<Live<ChannelOutput<C>>>({ value: null, error: null });
  useEffect(() => {
    let active = true;
    const load = () =>
      (call as (c: C) => Promise<ChannelOutput<C>>)(channel).then(
        (value) => active && setState({ value, error: null }),
        (error: Error) => active && setState((s) => ({ value: s.value, error: error.message })),
      );
    void load();
    const timer = setInterval(load, intervalMs);
    return () => {
      active = false;
      clearInterval(timer);
    };
  }, [channel, intervalMs]);
  return state;
}

/** The app's name, version and host (electron or web), loaded once per component. */
export function useAppInfo(): ChannelOutput<'app.info'> | null {
  const [info, setInfo] = useState<ChannelOutput<'app.info'> | null>(null);
  useEffect(() => {
    let active = true;
    call('app.info', undefined).then(
      (value) => active && setInfo(value),
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, []);
  return info;
}
