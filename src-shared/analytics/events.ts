/**
 * Every analytics event type with its schema. Events carry no message text, names, room ids or
 * other personal data: the schemas are strict, so a field that is not listed here is refused,
 * and strings are short enums or ids of the app's own vocabulary (screens, command ids).
 */
import * as z from 'zod';
import { SCREENS } from '../screens';

export const AnalyticsScreen = z.enum(SCREENS);

const Key = z.string().regex(/^[a-z][a-z0-9-]{0,47}$/);

export const EVENT_PROPS = {
  'app.opened': z
    .object({
      platform: z.enum(['linux', 'darwin', 'win32', 'other']),
      language: z.enum(['en', 'ru']),
      host: z.enum(['electron', 'web']),
    })
    .strict(),
  'screen.viewed': z.object({ screen: AnalyticsScreen }).strict(),
  'message.sent': z.object({ direct: z.boolean(), offline: z.boolean() }).strict(),
  'message.edited': z.object({}).strict(),
  'message.deleted': z.object({}).strict(),
  'message.reacted': z.object({ on: z.boolean() }).strict(),
  'file.sent': z.object({ files: z.number().int().min(1).max(10), image: z.boolean() }).strict(),
  'room.notify_set': z.object({ level: z.enum(['all', 'mentions', 'never']) }).strict(),
  'room.created': z.object({}).strict(),
  'room.joined': z.object({}).strict(),
  'call.started': z.object({}).strict(),
  'call.joined': z.object({ participants: z.number().int().min(1).max(100) }).strict(),
  'call.left': z
    .object({
      seconds: z
        .number()
        .int()
        .min(0)
        .max(86_400 * 7),
    })
    .strict(),
  'call.quality': z
    .object({
      rttMs: z.number().min(0).max(60_000),
      jitterMs: z.number().min(0).max(60_000),
      lossPct: z.number().min(0).max(100),
      mos: z.number().min(1).max(5),
    })
    .strict(),
  'recording.started': z.object({}).strict(),
  'voice.command': z
    .object({
      command: z.string().regex(/^[a-z]+\.[a-zA-Z]+$/),
      category: z.enum(['system', 'navigation', 'content', 'communication']),
      outcome: z.enum(['done', 'failed', 'rejected']),
    })
    .strict(),
  'experiment.exposure': z.object({ experiment: Key, variant: Key }).strict(),
} as const;

export type AnalyticsEventType = keyof typeof EVENT_PROPS;
export const ANALYTICS_EVENT_TYPES = Object.keys(EVENT_PROPS) as AnalyticsEventType[];
export type EventProps<T extends AnalyticsEventType> = z.infer<(typeof EVENT_PROPS)[T]>;

export const AnalyticsEventId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** One event as tracked, stored and uploaded (the server adds the user from the connection). */
export const AnalyticsEvent = z
  .object({
    /** Chosen once by the tracker: uploading the same event twice counts it once. */
    id: AnalyticsEventId,
    type: z.string(),
    at: z.number().int().positive(),
    sessionId: AnalyticsEventId,
    props: z.record(z.string(), z.unknown()),
  })
  .strict();
export type AnalyticsEvent = z.infer<typeof AnalyticsEvent>;

export type EventCheck =
  | { ok: true; event: AnalyticsEvent }
  | { ok: false; reason: 'invalid_envelope' | 'unknown_type' | 'invalid_props'; detail: string };

/** Checks an event from an untrusted side (the renderer, a client): envelope, type, props. */
export function checkEvent(input: unknown): EventCheck {
  const envelope = AnalyticsEvent.safeParse(input);
  if (!envelope.success)
    return {
      ok: false,
      reason: 'invalid_envelope',
      detail: envelope.error.issues[0]?.message ?? '',
    };
  const schema = EVENT_PROPS[envelope.data.type as AnalyticsEventType];
  if (!schema || !Object.hasOwn(EVENT_PROPS, envelope.data.type))
    return { ok: false, reason: 'unknown_type', detail: envelope.data.type.slice(0, 64) };
  const props = schema.safeParse(envelope.data.props);
  if (!props.success) {
    const issue = props.error.issues[0];
    return {
      ok: false,
      reason: 'invalid_props',
      detail: `${envelope.data.type}: ${issue?.path.join('.') || 'props'} ${issue?.message ?? ''}`,
    };
  }
  return { ok: true, event: { ...envelope.data, props: props.data } };
}

/**
 * Mean opinion score (1–5) estimated from network figures with the simplified ITU-T G.107
 * E-model: effective latency = RTT/2 + 2·jitter + 10 ms, R = 93.2 − delay impairment − 2.5·loss%.
 */
export function estimateMos(rttMs: number, jitterMs: number, lossPct: number): number {
  const latency = rttMs / 2 + 2 * jitterMs + 10;
  const delay = latency < 160 ? latency / 40 : (latency - 120) / 10;
  const r = Math.min(100, Math.max(0, 93.2 - delay - 2.5 * lossPct));
  const mos = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
  return Math.round(Math.min(4.5, Math.max(1, mos)) * 100) / 100;
}
