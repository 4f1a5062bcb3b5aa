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
  /** The server's name (its welcome), for people to read. */
  serverName: z.string().nullable().default(null),
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

/** A server another app announces on the local network (mDNS); checked when connected to. */
export const DiscoveredServer = z.object({
  name: z.string(),
  url: z.string(),
  fingerprint: z.string(),
  lastSeen: z.number(),
});
export type DiscoveredServer = z.infer<typeof DiscoveredServer>;

/** One address colleagues may use, and whether it answered from this computer. */
export const HostingAddress = z.object({
  url: z.string(),
  /** null: not checked yet. */
  reachable: z.boolean().nullable(),
  problem: z.string().nullable(),
});
export type HostingAddress = z.infer<typeof HostingAddress>;

/** "Let others join this computer": what the embedded server does for the network now. */
export const HostingStatus = z.object({
  /** The setting; `state` says what is so. */
  enabled: z.boolean(),
  state: z.enum(['off', 'starting', 'on', 'failed']),
  port: z.number().nullable(),
  /** The embedded server's name and identity, as colleagues' apps will see them. */
  name: z.string().nullable(),
  fingerprint: z.string().nullable(),
  addresses: z.array(HostingAddress),
  /** Announced on the local network (mDNS) right now. */
  announced: z.boolean(),
  /** Why hosting could not start (a port in use), in words. */
  problem: z.string().nullable(),
  /** Which system's firewall advice to show when colleagues cannot connect. */
  firewall: z.enum(['linux', 'windows', 'mac']),
  /** Colleagues' apps connected right now (quitting disconnects them). */
  guests: z.number(),
  /** Servers other apps announce on the local network. */
  discovered: z.array(DiscoveredServer),
});
export type HostingStatus = z.infer<typeof HostingStatus>;

/** What an invite names, as checked before the user agrees to connect to another server. */
export const InviteCheck = z.object({
  code: z.string(),
  /** null: a room of the server the app is on (a bare code, or a link to this very server). */
  server: z
    .object({
      url: z.string(),
      /** host:port as people read it. */
      address: z.string(),
      fingerprint: z.string(),
      /** The name the server gave when asked (null: it could not be reached). */
      name: z.string().nullable(),
      /** Why it could not be reached or is not the server the invite names, in words. */
      problem: z.string().nullable(),
      /** This app trusted another identity at that address before. */
      replacesTrusted: z.boolean(),
    })
    .nullable(),
});
export type InviteCheck = z.infer<typeof InviteCheck>;

/** The invite to share for a room: a link that names this server when others can reach it. */
export const InviteLinkInfo = z.object({
  link: z.string(),
  /** host:port colleagues' apps will connect to (null: the code alone, for this server). */
  address: z.string().nullable(),
  /**
   * False when colleagues on other computers could not use it: the app hosts on this computer for
   * itself only ("Let others join this computer" is off), or its server is on loopback.
   */
  shareable: z.boolean(),
});
export type InviteLinkInfo = z.infer<typeof InviteLinkInfo>;

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
