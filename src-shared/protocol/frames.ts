/**
 * The client <-> server wire protocol, version 1. Every frame is JSON and parsed with these
 * schemas on the receiving side; docs/protocol.md describes them for people.
 */
import * as z from 'zod';

export const PROTOCOL_VERSION = 1;
export const SERVER_WS_PATH = '/ws';
export const MAX_FRAME_BYTES = 64 * 1024;

export const ClientHello = z
  .object({
    t: z.literal('hello'),
    v: z.number().int(),
    client: z.object({ name: z.string().max(64), version: z.string().max(32) }).strict(),
  })
  .strict();

export const ClientPing = z
  .object({ t: z.literal('ping'), id: z.number().int(), ts: z.number() })
  .strict();

export const ClientFrame = z.discriminatedUnion('t', [ClientHello, ClientPing]);
export type ClientFrame = z.infer<typeof ClientFrame>;

export const ServerErrorCode = z.enum([
  'malformed_frame',
  'unknown_frame',
  'frame_too_large',
  'unsupported_version',
  'not_ready',
  'too_many_errors',
]);
export type ServerErrorCode = z.infer<typeof ServerErrorCode>;

export const ServerWelcome = z.object({
  t: z.literal('welcome'),
  v: z.number().int(),
  serverId: z.string(),
  time: z.number(),
});
export const ServerPong = z.object({ t: z.literal('pong'), id: z.number().int(), ts: z.number() });
export const ServerErrorFrame = z.object({
  t: z.literal('error'),
  code: ServerErrorCode,
  message: z.string(),
});

export const ServerFrame = z.discriminatedUnion('t', [ServerWelcome, ServerPong, ServerErrorFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;

/** Parses a raw frame: JSON first, then the schema; never throws. */
export function parseFrame<T>(
  schema: z.ZodType<T>,
  raw: string,
):
  | { ok: true; frame: T }
  | { ok: false; code: 'malformed_frame' | 'unknown_frame'; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'malformed_frame', message: 'frame is not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length ? issue.path.join('.') : 'frame';
  const unknownType = issue?.path[0] === 't';
  return {
    ok: false,
    code: unknownType ? 'unknown_frame' : 'malformed_frame',
    message: `${where}: ${issue?.message ?? 'invalid'}`,
  };
}
