import * as z from 'zod';
import { SettingsSchema, ShortcutAction } from '../settings';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** Which host runs the services: the Electron shell or the browser host. */
  host: z.enum(['electron', 'web']),
  platform: z.string(),
  dataDir: z.string(),
  systemLocale: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const ConnectionState = z.enum(['connecting', 'online', 'offline']);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const ConnectionStatus = z.object({
  state: ConnectionState,
  url: z.string().nullable(),
  /** True when the server runs inside this app ("host on this computer"). */
  embedded: z.boolean(),
  /** Where the URL came from: settings, a --server flag for this run, or the embedded server. */
  source: z.enum(['settings', 'override', 'embedded']),
  rttMs: z.number().nullable(),
  serverId: z.string().nullable(),
  /** The fingerprint of the server's identity key, once it proved it holds it. */
  fingerprint: z.string().nullable(),
  /**
   * The server at `url` showed another identity than the one trusted there: the app does not
   * sign in until the user accepts it (connection.acceptIdentity) or chooses another server.
   */
  identityProblem: z
    .object({ url: z.string(), expected: z.string(), shown: z.string(), serverKey: z.string() })
    .nullable(),
  lastError: z.string().nullable(),
  since: z.number(),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const ProcessMetric = z.object({
  kind: z.string(),
  pid: z.number(),
  memoryBytes: z.number(),
  cpuPercent: z.number().nullable(),
});
export type ProcessMetric = z.infer<typeof ProcessMetric>;

export const HealthSnapshot = z.object({
  at: z.number(),
  uptimeSec: z.number(),
  processes: z.array(ProcessMetric),
  heapUsedBytes: z.number(),
  eventLoopLagMs: z.number(),
  database: z.object({
    path: z.string(),
    fileBytes: z.number(),
    walBytes: z.number(),
    schemaVersion: z.number(),
  }),
  freeDiskBytes: z.number().nullable(),
});
export type HealthSnapshot = z.infer<typeof HealthSnapshot>;

export const KeystoreStatus = z.object({
  /** open: secrets usable; locked: the passphrase is needed; lost: only a reset helps. */
  state: z.enum(['open', 'locked', 'lost']),
  /** Where the system keeps the wrapping key: keychain, dpapi, gnome_libsecret, basic_text... */
  backend: z.string(),
  /** False for basic_text and the browser host's key file: the key is as safe as the disk. */
  systemProtects: z.boolean(),
  protection: z.enum(['system', 'passphrase', 'system+passphrase']),
  /** Why the system wrap did not open (keyring_changed:..., keyring_failed:..., damaged_file). */
  problem: z.string().nullable(),
});
export type KeystoreStatus = z.infer<typeof KeystoreStatus>;

export const ShortcutStatus = z.object({
  action: ShortcutAction,
  accelerator: z.string(),
  state: z.enum(['registered', 'failed', 'unbound', 'unsupported']),
  /** Why it is not registered, as a code the UI translates. */
  reasonCode: z.enum(['host_unsupported', 'no_action', 'invalid', 'duplicate', 'taken']).nullable(),
  /** Detail in English, for logs and for the invalid-syntax case. */
  reason: z.string().nullable(),
});
export type ShortcutStatus = z.infer<typeof ShortcutStatus>;

export const ShortcutStatusList = z.array(ShortcutStatus);
export type ShortcutStatusList = z.infer<typeof ShortcutStatusList>;

export { SettingsSchema };
