/** Backups, incidents and health history, as the renderer sees them. */
import * as z from 'zod';

export const BackupReason = z.enum(['scheduled', 'quit', 'manual']);

export const BackupInfo = z.object({
  id: z.string(),
  createdAt: z.number(),
  reason: BackupReason,
  /** Size of the sealed file on disk. */
  bytes: z.number(),
  /** Size of the database it holds. */
  databaseBytes: z.number(),
  messages: z.number().nullable(),
  schemaVersion: z.number(),
  /** verified: opened and integrity-checked after writing; unreadable: another backup key. */
  state: z.enum(['verified', 'failed', 'unreadable']),
  verifiedAt: z.number().nullable(),
  error: z.string().nullable(),
});
export type BackupInfo = z.infer<typeof BackupInfo>;

export const BackupOperation = z.object({
  kind: z.enum(['backup', 'restore', 'export']),
  phase: z.enum(['copying', 'sealing', 'verifying', 'opening', 'checking', 'replacing', 'done']),
  /** 0..1 of the current phase. */
  fraction: z.number(),
  startedAt: z.number(),
});
export type BackupOperation = z.infer<typeof BackupOperation>;

export const BackupsStatus = z.object({
  backups: z.array(BackupInfo),
  running: BackupOperation.nullable(),
  lastError: z.string().nullable(),
  dir: z.string(),
});
export type BackupsStatus = z.infer<typeof BackupsStatus>;

export const BackupRef = z.object({ id: z.string().regex(/^[0-9A-Za-z-]{1,64}$/) }).strict();
/** A file on this computer; omitted in the desktop app to ask with the system dialog. */
export const FilePathInput = z.object({ path: z.string().min(1).max(4096).optional() }).strict();
/**
 * The browser host writes to a typed path, never over an existing file unless `overwrite` says
 * the user confirmed that file; the desktop app takes no path from the page (its save dialog).
 */
export const BackupExportInput = BackupRef.extend({
  path: z.string().min(1).max(4096).optional(),
  overwrite: z.boolean().optional(),
});

export const IncidentSeverity = z.enum(['info', 'warning', 'critical']);
export type IncidentSeverity = z.infer<typeof IncidentSeverity>;
export const IncidentState = z.enum(['open', 'acknowledged', 'resolved']);

export const IncidentEvent = z.object({
  at: z.number(),
  kind: z.enum(['opened', 'recurred', 'recovered', 'acknowledged', 'resolved', 'note']),
  text: z.string(),
});
export type IncidentEvent = z.infer<typeof IncidentEvent>;

export const Incident = z.object({
  id: z.number(),
  /** What it is about (a rule, "crash", "database_corrupt"): one open incident per key. */
  key: z.string(),
  severity: IncidentSeverity,
  title: z.string(),
  state: IncidentState,
  openedAt: z.number(),
  updatedAt: z.number(),
  resolvedAt: z.number().nullable(),
  note: z.string().nullable(),
  events: z.array(IncidentEvent),
});
export type Incident = z.infer<typeof Incident>;

export const IncidentRef = z.object({ id: z.number().int().positive() }).strict();
export const IncidentNoteInput = IncidentRef.extend({ note: z.string().max(2000).default('') });
export const IncidentExportInput = z.object({ format: z.enum(['markdown', 'json']) }).strict();

/**
 * A rule's figure as data, so that the window writes it in its own language: an amount in a unit
 * (optionally "none for …" / "down for …"), or a state word.
 */
export const HealthReading = z.union([
  z.object({
    amount: z.number(),
    unit: z.enum(['hour', 'minute', 'millisecond', 'megabyte']),
    phrase: z.enum(['noneFor', 'downFor']).optional(),
  }),
  z.object({ word: z.enum(['connected', 'open', 'locked', 'lost']) }),
]);
export type HealthReading = z.infer<typeof HealthReading>;

export const HealthRuleState = z.object({
  key: z.string(),
  severity: IncidentSeverity,
  /** ok, breached (an incident is open), or unknown (no figure to judge yet). */
  state: z.enum(['ok', 'breached', 'unknown']),
  value: z.string().nullable(),
  threshold: z.string(),
  reading: HealthReading.nullable().optional(),
  limit: HealthReading.optional(),
});
export type HealthRuleState = z.infer<typeof HealthRuleState>;

/** One sample of the figures the Health screen charts. */
export const HealthSample = z.object({
  at: z.number(),
  mainMemoryBytes: z.number(),
  rendererMemoryBytes: z.number().nullable(),
  mainCpuPercent: z.number().nullable(),
  rendererCpuPercent: z.number().nullable(),
  eventLoopLagMs: z.number(),
  databaseBytes: z.number(),
  walBytes: z.number(),
  freeDiskBytes: z.number().nullable(),
  serverRttMs: z.number().nullable(),
  serverConnected: z.boolean(),
});
export type HealthSample = z.infer<typeof HealthSample>;

export const HealthReport = z.object({
  samples: z.array(HealthSample),
  rules: z.array(HealthRuleState),
  lastVerifiedBackupAt: z.number().nullable(),
});
export type HealthReport = z.infer<typeof HealthReport>;

/** The renderer's own figures (a browser page is invisible to the host's process list). */
export const RendererHealthInput = z
  .object({ memoryBytes: z.number().nonnegative().max(1e13) })
  .strict();
