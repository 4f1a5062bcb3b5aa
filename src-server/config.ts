import os from 'node:os';
import * as z from 'zod';
import { readOptions } from '../src-shared/cli-options';
import { MAX_MESH_PARTICIPANTS, RESUME_GRACE_MS } from '../src-shared/protocol/calls';
import { DEFAULT_MAX_FILE_BYTES } from '../src-shared/protocol/limits';

/** A comma-separated flag or variable becomes a list; a list (from code) stays one. */
const commaList = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean)
    : v;

const ServerConfigFields = z.object({
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
  /**
   * Frames per second one connection may send, and how many at once (token bucket). The burst
   * lets a reconnecting app send its outbox; past it the app is told `rate_limited` and waits.
   */
  rateLimitPerSec: z.coerce.number().positive().default(200),
  rateLimitBurst: z.coerce.number().int().positive().default(1000),
  /** The same across all connections of one signed-in identity. */
  identityRateLimitPerSec: z.coerce.number().positive().default(400),
  identityRateLimitBurst: z.coerce.number().int().positive().default(2000),
  /** Frames refused for rate before the connection is closed (refilled at a tenth of the rate). */
  rateLimitPatience: z.coerce.number().int().positive().default(500),
  /** Open connections from one address; 0: no limit. */
  maxConnectionsPerAddress: z.coerce.number().int().nonnegative().default(64),
  /**
   * Origins (scheme://host[:port]) whose browser pages may open a WebSocket. Requests without an
   * Origin header (the app's own Node side, other servers) are not browsers and are allowed.
   */
  allowedOrigins: z.preprocess(
    commaList,
    z
      .array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin is scheme://host[:port]'))
      .default([]),
  ),
  /**
   * Identities (user ids) that administer the server: only they define, start, stop, ship and
   * delete analytics goals, funnels and experiments and read figures across all users. Added to
   * those named with `server.cjs admin add <user id>`.
   */
  admins: z.preprocess(
    commaList,
    z
      .array(z.string().regex(/^u_[0-9a-f]{32}$/, 'an admin is a user id (u_ + 32 hex)'))
      .default([]),
  ),
  /** The first identity to sign in becomes an administrator (the app's embedded server). */
  firstUserIsAdmin: z
    .preprocess(
      (v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v),
      z.boolean(),
    )
    .default(false),
  /**
   * Addresses clients reach this server by besides this machine's own names and addresses at its
   * port (a proxy, load balancer or port forward: wss://chat.example.com/ws). Clients sign the
   * address they dialed into their sign-in, and the server refuses addresses not its own.
   */
  publicUrls: z.preprocess(
    commaList,
    z.array(z.string().regex(/^wss?:\/\/[^\s]+$/, 'a public URL is ws:// or wss://')).default([]),
  ),
  /** Bearer token that lets a scraper read /metrics from another machine (loopback needs none). */
  metricsToken: z.string().min(16).optional(),
  /** A socket that has not said `hello` this long after its upgrade is closed. */
  helloTimeoutMs: z.coerce.number().int().positive().default(5000),
  /** The largest file a member may upload (bytes); a bigger one is refused before any is sent. */
  maxFileBytes: z.coerce
    .number()
    .int()
    .positive()
    .max(64 * 1024 ** 3)
    .default(DEFAULT_MAX_FILE_BYTES),
  /** How long a client may take to send its HTTP headers, and its whole request. */
  headersTimeoutMs: z.coerce.number().int().positive().default(10_000),
  requestTimeoutMs: z.coerce.number().int().positive().default(15_000),
  /** Connections of one address still in their HTTP phase (not yet WebSockets); 0: no limit. */
  maxPendingPerAddress: z.coerce.number().int().nonnegative().default(32),
  /** The identity burst of an identity registered within the last hour (rate as for others). */
  newIdentityRateLimitBurst: z.coerce.number().int().positive().default(200),
  /** New identities one address may register: at once, and per hour after that. */
  newIdentitiesBurst: z.coerce.number().int().positive().default(10),
  newIdentitiesPerHour: z.coerce.number().nonnegative().default(10),
  /** Wrong invite codes one identity, and one address, may try: at once, and per minute. */
  failedJoinsBurst: z.coerce.number().int().positive().default(5),
  failedJoinsPerMinute: z.coerce.number().nonnegative().default(5),
  /** Analytics events one identity may upload per UTC day. */
  analyticsDailyQuota: z.coerce.number().int().positive().default(20_000),
  /** Analytics upload cost per identity: events and bytes, at once and per second. */
  analyticsEventsBurst: z.coerce.number().int().positive().default(2000),
  analyticsEventsPerSec: z.coerce.number().positive().default(100),
  analyticsBytesBurst: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  analyticsBytesPerSec: z.coerce
    .number()
    .positive()
    .default(64 * 1024),
  /**
   * Without certificate files: `self-signed` makes a certificate (and key) at the first start and
   * keeps it in the data directory; `off` speaks plain ws:// (behind a proxy that does TLS, or on
   * loopback only). `npm run server` defaults to self-signed; embedded in code, to off.
   */
  tls: z.enum(['self-signed', 'off']).default('off'),
  /** The server's name as people see it when an invite asks them to connect (host name). */
  name: z
    .string()
    .trim()
    .min(1)
    .max(80)
    .default(os.hostname().slice(0, 80) || 'Beseda server'),
  /** PEM certificate (chain) and private key: with both, the server speaks HTTPS and wss://. */
  tlsCertFile: z.string().min(1).optional(),
  tlsKeyFile: z.string().min(1).optional(),
});

export const ServerConfigSchema = ServerConfigFields.refine(
  (c) => Boolean(c.tlsCertFile) === Boolean(c.tlsKeyFile),
  { message: 'TLS needs both --tls-cert and --tls-key', path: ['tlsCertFile'] },
);
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
  '--rate-limit-per-sec': 'rateLimitPerSec',
  '--rate-limit-burst': 'rateLimitBurst',
  '--identity-rate-limit-per-sec': 'identityRateLimitPerSec',
  '--identity-rate-limit-burst': 'identityRateLimitBurst',
  '--max-connections-per-address': 'maxConnectionsPerAddress',
  '--allowed-origins': 'allowedOrigins',
  '--tls-cert': 'tlsCertFile',
  '--tls-key': 'tlsKeyFile',
  '--tls': 'tls',
  '--name': 'name',
  '--admins': 'admins',
  '--public-url': 'publicUrls',
  '--first-user-is-admin': 'firstUserIsAdmin',
  '--metrics-token': 'metricsToken',
  '--hello-timeout-ms': 'helloTimeoutMs',
  '--headers-timeout-ms': 'headersTimeoutMs',
  '--request-timeout-ms': 'requestTimeoutMs',
  '--max-file-bytes': 'maxFileBytes',
  '--max-pending-per-address': 'maxPendingPerAddress',
  '--new-identity-rate-limit-burst': 'newIdentityRateLimitBurst',
  '--new-identities-burst': 'newIdentitiesBurst',
  '--new-identities-per-hour': 'newIdentitiesPerHour',
  '--failed-joins-burst': 'failedJoinsBurst',
  '--failed-joins-per-minute': 'failedJoinsPerMinute',
  '--analytics-daily-quota': 'analyticsDailyQuota',
};

const ENV: Record<string, keyof ServerConfig> = {
  BESEDA_SERVER_HOST: 'host',
  BESEDA_SERVER_PORT: 'port',
  BESEDA_SERVER_DATA_DIR: 'dataDir',
  BESEDA_SERVER_MAX_FRAME_BYTES: 'maxFrameBytes',
  BESEDA_SERVER_MAX_FILE_BYTES: 'maxFileBytes',
  BESEDA_SERVER_TOKEN_TTL_MS: 'tokenTtlMs',
  BESEDA_SERVER_MAX_CALL_PARTICIPANTS: 'maxCallParticipants',
  BESEDA_SERVER_CALL_RESUME_GRACE_MS: 'callResumeGraceMs',
  BESEDA_SERVER_RATE_LIMIT_PER_SEC: 'rateLimitPerSec',
  BESEDA_SERVER_RATE_LIMIT_BURST: 'rateLimitBurst',
  BESEDA_SERVER_IDENTITY_RATE_LIMIT_PER_SEC: 'identityRateLimitPerSec',
  BESEDA_SERVER_IDENTITY_RATE_LIMIT_BURST: 'identityRateLimitBurst',
  BESEDA_SERVER_MAX_CONNECTIONS_PER_ADDRESS: 'maxConnectionsPerAddress',
  BESEDA_SERVER_ALLOWED_ORIGINS: 'allowedOrigins',
  BESEDA_SERVER_TLS_CERT: 'tlsCertFile',
  BESEDA_SERVER_TLS_KEY: 'tlsKeyFile',
  BESEDA_SERVER_TLS: 'tls',
  BESEDA_SERVER_NAME: 'name',
  BESEDA_SERVER_ADMINS: 'admins',
  BESEDA_SERVER_PUBLIC_URLS: 'publicUrls',
  BESEDA_SERVER_METRICS_TOKEN: 'metricsToken',
  BESEDA_SERVER_HELLO_TIMEOUT_MS: 'helloTimeoutMs',
  BESEDA_SERVER_MAX_PENDING_PER_ADDRESS: 'maxPendingPerAddress',
  BESEDA_SERVER_NEW_IDENTITIES_PER_HOUR: 'newIdentitiesPerHour',
  BESEDA_SERVER_ANALYTICS_DAILY_QUOTA: 'analyticsDailyQuota',
};

/** Reads the configuration from flags first, then environment variables, then defaults. */
export function readServerConfig(
  argv: string[],
  env: Record<string, string | undefined>,
): ServerConfig {
  // On its own the server speaks TLS unless told not to (a self-signed pair when given no files).
  const fromEnv: Record<string, unknown> = { tls: 'self-signed' };
  for (const [name, key] of Object.entries(ENV)) {
    if (env[name] !== undefined && env[name] !== '') fromEnv[key] = env[name];
  }
  return readOptions(argv, FLAGS, ServerConfigSchema, fromEnv);
}
