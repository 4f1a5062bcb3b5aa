/**
 * Rate limits on the renderer's calls into main (IPC in Electron, the bridge in the browser
 * host): a token bucket per caller (a window's frame, a bridge socket). Generous for the app's
 * real bursts (a screen loading, ICE candidates, recording chunks); a renderer stuck in a loop
 * or taken over gets `rate_limited` answers instead of starving main.
 */
import { TokenBucket } from '../../../src-shared/rate-limit';
import type { Envelope } from '../../../src-shared/ipc/envelope';
import type { Dispatch } from './dispatcher';

export interface CallerLimits {
  perSecond: number;
  burst: number;
}

export const DEFAULT_CALLER_LIMITS: CallerLimits = { perSecond: 500, burst: 2000 };

export const RATE_LIMITED: Envelope<never> = {
  ok: false,
  error: { code: 'rate_limited', message: 'Too many calls; slow down.' },
};

/** A dispatch for one caller: refuses calls past its bucket, and counts the refusals. */
export function limitedDispatch(
  dispatch: Dispatch,
  limits: CallerLimits = DEFAULT_CALLER_LIMITS,
  now: () => number = Date.now,
): Dispatch & { refused(): number } {
  const bucket = new TokenBucket(limits.burst, limits.perSecond, now);
  let refused = 0;
  const limited = ((channel: string, input: unknown) => {
    if (!bucket.take()) {
      refused++;
      return Promise.resolve(RATE_LIMITED);
    }
    return dispatch(channel, input);
  }) as Dispatch & { refused(): number };
  limited.refused = () => refused;
  return limited;
}
