/** IPC schemas of analytics: tracking, status, the dashboard, definitions and feature flags. */
import * as z from 'zod';
import { DashboardRange } from '../analytics/dashboard';
import { AnalyticsDefinition } from '../analytics/definitions';
import { AnalyticsConsent } from '../settings';

/** Main stamps id and session; the renderer says what happened and when. */
export const TrackInput = z
  .object({
    events: z
      .array(
        z
          .object({
            type: z.string().max(64),
            /** When it happened (the renderer batches; main keeps the order it was seen in). */
            at: z.number().int().positive().optional(),
            props: z.record(z.string(), z.unknown()),
          })
          .strict(),
      )
      .min(1)
      .max(50),
  })
  .strict();

export const RecordResult = z.object({
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  ignored: z.number(),
});

export const AnalyticsStatus = z.object({
  consent: AnalyticsConsent,
  stored: z.number(),
  pending: z.number(),
  rejected: z.record(z.string(), z.number()),
  lastUpload: z
    .object({ at: z.number(), accepted: z.number(), duplicates: z.number(), rejected: z.number() })
    .nullable(),
});

export const DashboardInput = z.object({ range: DashboardRange }).strict();
/** DashboardData (src-shared/analytics/dashboard.ts); `local` when computed offline from own events. */
export const DashboardReply = z.object({
  source: z.enum(['server', 'local']),
  data: z.record(z.string(), z.unknown()),
  /** Whether this user may define, start, stop, ship and delete (a server administrator). */
  canManage: z.boolean(),
  /** Why the figures are this app's own: offline, or not an administrator of the server. */
  localReason: z.enum(['offline', 'not_admin']).nullable(),
});

export const DefineInput = z.object({ definition: AnalyticsDefinition }).strict();
export const UndefineInput = z.object({ key: z.string().max(48) }).strict();
export const VariantInput = z.object({ key: z.string().max(48) }).strict();
export const VariantReply = z.object({ variant: z.string().nullable() });
