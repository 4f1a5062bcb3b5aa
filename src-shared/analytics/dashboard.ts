/**
 * The dashboard's figures, computed the same way by the server (across users) and by the app
 * (its own events, shown as local-only when offline). Both keep events in one table layout
 * (ANALYTICS_EVENTS_SQL) and hand this module a minimal SQL runner, so the queries live once.
 */
import * as z from 'zod';
import type { ExperimentConfig, FunnelDefinition, GoalDefinition } from './definitions';
import {
  computeFunnel,
  topJourneys,
  type FunnelStepResult,
  type JourneyCount,
  type StepDefinition,
  type StreamEvent,
} from './funnels';
import {
  bayesian,
  sampleRatioMismatch,
  twoProportionTest,
  type BayesianResult,
  type FrequentistResult,
  type SrmResult,
} from './stats';

/** The events table, the same on the server and in the app (one user there). */
export const ANALYTICS_EVENTS_SQL = `
  CREATE TABLE IF NOT EXISTS analytics_events (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    type TEXT NOT NULL,
    at INTEGER NOT NULL,
    session_id TEXT NOT NULL,
    props TEXT NOT NULL,
    -- Denormalised from props for the queries that group by them.
    screen TEXT,
    experiment TEXT,
    variant TEXT
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS analytics_events_type_at ON analytics_events (type, at);
  CREATE INDEX IF NOT EXISTS analytics_events_at ON analytics_events (at);
  CREATE INDEX IF NOT EXISTS analytics_events_experiment
    ON analytics_events (experiment, user_id) WHERE experiment IS NOT NULL;`;

/** What this module needs of a database (better-sqlite3 on both sides). */
export interface SqlRunner {
  all<T>(sql: string, params: unknown[]): T[];
  iterate<T>(sql: string, params: unknown[]): Iterable<T>;
}

/** A database that prepares statements (better-sqlite3's shape), as a SqlRunner. */
export function sqlRunner(db: {
  prepare(sql: string): {
    all(...params: unknown[]): unknown[];
    iterate(...params: unknown[]): Iterable<unknown>;
  };
}): SqlRunner {
  const cache = new Map<string, ReturnType<typeof db.prepare>>();
  const prepared = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  return {
    all: <T>(sql: string, params: unknown[]) => prepared(sql).all(...params) as T[],
    iterate: <T>(sql: string, params: unknown[]) => prepared(sql).iterate(...params) as Iterable<T>,
  };
}

export const DashboardRange = z
  .object({ from: z.number().int().nonnegative(), to: z.number().int().positive() })
  .strict()
  .refine((r) => r.to > r.from, { message: 'the range must end after it starts' });
export type DashboardRange = z.infer<typeof DashboardRange>;

export interface DailyRow {
  day: string;
  activeUsers: number;
  messages: number;
  calls: number;
  voiceCommands: number;
}
export interface QualityRow {
  day: string;
  rttMs: number;
  lossPct: number;
  jitterMs: number;
  mos: number;
  samples: number;
}
export interface VariantResult {
  variant: string;
  users: number;
  conversions: number;
  rate: number;
  /** Against the first variant (the control); null for the control itself. */
  frequentist: FrequentistResult | null;
  bayesian: BayesianResult | null;
}
export interface ExperimentResult {
  key: string;
  name: string;
  status: ExperimentConfig['status'];
  goal: string;
  variants: VariantResult[];
  srm: SrmResult;
  /** Fewer users than planned in some variant: reading the result now is peeking. */
  underpowered: boolean;
  plannedUsersPerVariant: number;
}
export interface DashboardData {
  range: DashboardRange;
  daily: DailyRow[];
  quality: QualityRow[];
  voiceCommands: Array<{ command: string; uses: number }>;
  journeys: JourneyCount[];
  funnels: Array<{ key: string; name: string; steps: FunnelStepResult[] }>;
  goals: Array<{ key: string; name: string; users: number; converted: number; rate: number }>;
  experiments: ExperimentResult[];
  totalEvents: number;
}

const DAY = `strftime('%Y-%m-%d', at / 1000, 'unixepoch')`;

function streamOf(
  sql: SqlRunner,
  steps: StepDefinition[],
  range: DashboardRange,
): Iterable<StreamEvent> {
  const types = [...new Set(steps.map((s) => s.type))];
  return sql.iterate<StreamEvent>(
    `SELECT user_id AS userId, type, at, screen FROM analytics_events
     WHERE type IN (${types.map(() => '?').join(',')}) AND at >= ? AND at < ?`,
    [...types, range.from, range.to],
  );
}

export function dailyFigures(sql: SqlRunner, range: DashboardRange): DailyRow[] {
  return sql.all<DailyRow>(
    `SELECT ${DAY} AS day,
       count(DISTINCT user_id) AS activeUsers,
       sum(type = 'message.sent') AS messages,
       sum(type = 'call.joined') AS calls,
       sum(type = 'voice.command') AS voiceCommands
     FROM analytics_events WHERE at >= ? AND at < ? GROUP BY day ORDER BY day`,
    [range.from, range.to],
  );
}

export function qualityFigures(sql: SqlRunner, range: DashboardRange): QualityRow[] {
  return sql.all<QualityRow>(
    `SELECT ${DAY} AS day,
       round(avg(json_extract(props, '$.rttMs')), 1) AS rttMs,
       round(avg(json_extract(props, '$.lossPct')), 2) AS lossPct,
       round(avg(json_extract(props, '$.jitterMs')), 1) AS jitterMs,
       round(avg(json_extract(props, '$.mos')), 2) AS mos,
       count(*) AS samples
     FROM analytics_events WHERE type = 'call.quality' AND at >= ? AND at < ?
     GROUP BY day ORDER BY day`,
    [range.from, range.to],
  );
}

export function goalFigures(sql: SqlRunner, range: DashboardRange, goal: GoalDefinition) {
  const [row] = sql.all<{ users: number; converted: number }>(
    `SELECT count(DISTINCT user_id) AS users,
       count(DISTINCT CASE WHEN type = ? AND (? IS NULL OR screen = ?) THEN user_id END) AS converted
     FROM analytics_events WHERE at >= ? AND at < ?`,
    [goal.step.type, goal.step.screen ?? null, goal.step.screen ?? null, range.from, range.to],
  );
  const users = row?.users ?? 0;
  const converted = row?.converted ?? 0;
  return { key: goal.key, name: goal.name, users, converted, rate: users ? converted / users : 0 };
}

/**
 * Per variant: users exposed (first exposure counts; a user seen in two variants counts in the
 * first), and of them those who reached the goal after their exposure.
 */
export function experimentFigures(
  sql: SqlRunner,
  range: DashboardRange,
  experiment: ExperimentConfig,
  goal: GoalDefinition | undefined,
): ExperimentResult {
  const exposures = new Map<string, { variant: string; at: number }>();
  for (const row of sql.iterate<{ userId: string; variant: string; at: number }>(
    `SELECT user_id AS userId, variant, min(at) AS at FROM analytics_events
     WHERE experiment = ? AND type = 'experiment.exposure' AND at >= ? AND at < ?
     GROUP BY user_id, variant ORDER BY at`,
    [experiment.key, range.from, range.to],
  ))
    if (!exposures.has(row.userId)) exposures.set(row.userId, row);
  const converted = new Set<string>();
  if (goal)
    for (const event of streamOf(sql, [goal.step], range)) {
      if (goal.step.screen && event.screen !== goal.step.screen) continue;
      const exposure = exposures.get(event.userId);
      if (exposure && event.at >= exposure.at) converted.add(event.userId);
    }
  const arms = experiment.variants.map((v) => ({ variant: v.key, users: 0, conversions: 0 }));
  for (const [userId, exposure] of exposures) {
    const arm = arms.find((a) => a.variant === exposure.variant);
    if (!arm) continue;
    arm.users++;
    if (converted.has(userId)) arm.conversions++;
  }
  const control = arms[0]!;
  return {
    key: experiment.key,
    name: experiment.name,
    status: experiment.status,
    goal: experiment.goal,
    variants: arms.map((arm, i) => ({
      ...arm,
      rate: arm.users ? arm.conversions / arm.users : 0,
      frequentist: i === 0 || !arm.users || !control.users ? null : twoProportionTest(control, arm),
      bayesian: i === 0 ? null : bayesian(control, arm),
    })),
    srm: sampleRatioMismatch(
      arms.map((a) => a.users),
      experiment.variants.map((v) => v.weight),
    ),
    underpowered: arms.some((a) => a.users < experiment.plannedUsersPerVariant),
    plannedUsersPerVariant: experiment.plannedUsersPerVariant,
  };
}

export function computeDashboard(
  sql: SqlRunner,
  range: DashboardRange,
  definitions: {
    goals: GoalDefinition[];
    funnels: FunnelDefinition[];
    experiments: ExperimentConfig[];
  },
): DashboardData {
  const [{ n } = { n: 0 }] = sql.all<{ n: number }>(
    'SELECT count(*) AS n FROM analytics_events WHERE at >= ? AND at < ?',
    [range.from, range.to],
  );
  return {
    range,
    daily: dailyFigures(sql, range),
    quality: qualityFigures(sql, range),
    voiceCommands: sql.all(
      `SELECT json_extract(props, '$.command') AS command, count(*) AS uses FROM analytics_events
       WHERE type = 'voice.command' AND at >= ? AND at < ? GROUP BY command
       ORDER BY uses DESC, command LIMIT 10`,
      [range.from, range.to],
    ),
    journeys: topJourneys(streamOf(sql, [{ type: 'screen.viewed' }], range), { limit: 10 }),
    funnels: definitions.funnels.map((f) => ({
      key: f.key,
      name: f.name,
      steps: computeFunnel(streamOf(sql, f.steps, range), f.steps, f.windowMs),
    })),
    goals: definitions.goals.map((g) => goalFigures(sql, range, g)),
    experiments: definitions.experiments
      .filter((e) => e.status !== 'draft')
      .map((e) =>
        experimentFigures(
          sql,
          range,
          e,
          definitions.goals.find((g) => g.key === e.goal),
        ),
      ),
    totalEvents: n,
  };
}

/** The columns an event is stored with (same on both sides). */
export function eventRow(
  userId: string,
  event: {
    id: string;
    type: string;
    at: number;
    sessionId: string;
    props: Record<string, unknown>;
  },
): unknown[] {
  const props = event.props as { screen?: string; experiment?: string; variant?: string };
  return [
    event.id,
    userId,
    event.type,
    event.at,
    event.sessionId,
    JSON.stringify(event.props),
    props.screen ?? null,
    props.experiment ?? null,
    props.variant ?? null,
  ];
}

export const INSERT_EVENT_SQL = `INSERT OR IGNORE INTO analytics_events
  (id, user_id, type, at, session_id, props, screen, experiment, variant)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
