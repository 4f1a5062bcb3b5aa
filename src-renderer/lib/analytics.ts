/**
 * The renderer's tracking API: typed events (the same schemas main checks), batched and sent to
 * main, which keeps them only if the user agreed. Feature flags: an experiment's variant for this
 * user, with the exposure logged when the variant is actually shown.
 */
import { useEffect, useState } from 'react';
import type { AnalyticsEventType, EventProps } from '../../src-shared/analytics/events';
import { call, onEvent } from './api';

let queue: Array<{ type: string; at: number; props: Record<string, unknown> }> = [];
let timer: ReturnType<typeof setTimeout> | null = null;
/** Until settings arrive, events wait; then they go (consent given) or are dropped. */
let consent: 'unknown' | 'granted' | 'not-granted' = 'unknown';

function setConsent(granted: boolean): void {
  consent = granted ? 'granted' : 'not-granted';
  if (!granted) queue = [];
  else if (queue.length) timer ??= setTimeout(flush, 0);
}
void call('settings.get', undefined)
  .then((settings) => setConsent(settings.analyticsConsent === 'granted'))
  .catch(() => undefined);
onEvent('settings.changed', (settings) => setConsent(settings.analyticsConsent === 'granted'));

function flush(): void {
  timer = null;
  if (consent !== 'granted') return;
  const batch = queue.splice(0, 50);
  if (batch.length) void call('analytics.track', { events: batch }).catch(() => undefined);
  if (queue.length) timer = setTimeout(flush, 0);
}

export function track<T extends AnalyticsEventType>(type: T, props: EventProps<T>): void {
  if (consent === 'not-granted' || queue.length >= 500) return;
  // Two events in one millisecond would tie; the later one is stamped a millisecond on.
  const last = queue[queue.length - 1]?.at ?? 0;
  queue.push({ type, at: Math.max(Date.now(), last + 1), props: props as Record<string, unknown> });
  if (consent === 'granted') timer ??= setTimeout(flush, queue.length >= 20 ? 0 : 1000);
}

const exposed = new Set<string>();

/**
 * The variant of experiment `key` for this user (null: not in it, the default UI). Call
 * `expose()` when the variant is on screen; it is logged once per session.
 */
export function useVariant(key: string): { variant: string | null; expose(): void } {
  const [variant, setVariant] = useState<string | null>(null);
  useEffect(() => {
    let active = true;
    call('analytics.variant', { key }).then(
      (reply) => active && setVariant(reply.variant),
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [key]);
  return {
    variant,
    expose: () => {
      if (!variant || exposed.has(key)) return;
      exposed.add(key);
      track('experiment.exposure', { experiment: key, variant });
    },
  };
}
