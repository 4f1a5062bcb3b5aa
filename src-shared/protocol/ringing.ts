/** Which calls ring (no schema needed, so the renderer can use it before zod is loaded). */
import type { WireCall } from './calls';
import { RING_TIMEOUT_MS } from './limits';

/**
 * The calls that ring for `me`: running in my rooms, started by someone else less than
 * RING_TIMEOUT_MS ago, not joined, not declined, and only while I am in no other call.
 */
export function ringingCalls(
  calls: readonly WireCall[],
  me: string | null,
  options: { inCall: boolean; declined: readonly string[]; now: number },
): WireCall[] {
  if (!me || options.inCall) return [];
  return calls.filter(
    (call) =>
      call.startedBy !== me &&
      options.now - call.startedAt < RING_TIMEOUT_MS &&
      !options.declined.includes(call.callId) &&
      !call.participants.some((p) => p.userId === me),
  );
}
