/** Frames of the browser host's WebSocket bridge, which carries the IPC contract over a socket. */
import * as z from 'zod';
import { ApiErrorBody } from './envelope';

export const BRIDGE_PATH = '/bridge';
export const BRIDGE_MAX_FRAME_BYTES = 1024 * 1024;

export const BridgeCallFrame = z
  .object({
    kind: z.literal('call'),
    id: z.number().int().nonnegative(),
    channel: z.string().max(100),
    input: z.unknown().optional(),
  })
  .strict();
export type BridgeCallFrame = z.infer<typeof BridgeCallFrame>;

export const BridgeHostFrame = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('result'),
    id: z.number().int().nonnegative().nullable(),
    result: z.union([
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: ApiErrorBody }),
    ]),
  }),
  z.object({ kind: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);
export type BridgeHostFrame = z.infer<typeof BridgeHostFrame>;
