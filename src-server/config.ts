import * as z from 'zod';
import { readOptions } from '../src-shared/cli-options';
import { MAX_MESH_PARTICIPANTS, RESUME_GRACE_MS } from '../src-shared/protocol/calls';

export const ServerConfigSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(7600),
  dataDir: z.string().min(1).default('server-data'),
  maxFrameBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  /** Bad frames tolerated per connection before it is closed. */
  maxBadFrames: z.coerce.number().int().positive().default(10),
  /** How long a session token is valid; clients refresh it before it runs out. */
  tokenTtlMs: z.coerce
    .number()
    .int()
    .positive()
    .default(60 * 60 * 1000),
  shutdownGraceMs: z.coerce.number().int().nonnegative().default(5000),
  /** Participants of one (mesh) call. */
  maxCallParticipants: z.coerce.number().int().min(2).max(50).default(MAX_MESH_PARTICIPANTS),
  /** How long a participant whose connection dropped keeps their place in a call. */
  callResumeGraceMs: z.coerce.number().int().nonnegative().default(RESUME_GRACE_MS),
});
export type ServerConfig = z.infer<typeof ServerConfigSchema>;
export type ServerConfigInput = z.input<typeof ServerConfigSchema>;

const FLAGS: Record<string, keyof ServerConfig> = {
  '--host': 'host',
  '--port': 'port',
  '--data-dir': 'dataDir',
  '--max-frame-bytes': 'maxFrameBytes',
  '--token-ttl-ms': 'tokenTtlMs',
  '--max-call-participants': 'maxCallParticipants',
  '--call-resume-grace-ms': 'callResumeGraceMs',
};

const ENV: Record<string, keyof ServerConfig> = {
  TALKDESK_SERVER_HOST: 'host',
  TALKDESK_SERVER_PORT: 'port',
  TALKDESK_SERVER_DATA_DIR: 'dataDir',
  TALKDESK_SERVER_MAX_FRAME_BYTES: 'maxFrameBytes',
  TALKDESK_SERVER_TOKEN_TTL_MS: 'tokenTtlMs',
  TALKDESK_SERVER_MAX_CALL_PARTICIPANTS: 'maxCallParticipants',
  TALKDESK_SERVER_CALL_RESUME_GRACE_MS: 'callResumeGraceMs',
};

/** Reads the configuration from flags first, then environment variables, then defaults. */
export function readServerConfig(
  argv: string[],
  env: Record<string, string | undefined>,
): ServerConfig {
  const fromEnv: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV)) {
    if (env[name] !== undefined && env[name] !== '') fromEnv[key] = env[name];
  }
  return readOptions(argv, FLAGS, ServerConfigSchema, fromEnv);
}
