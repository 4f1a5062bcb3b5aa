/**
 * The dashboard's figures, computed the same way by the server (across users) and by the app
 * (its own events, shown as local-only when offline). Both keep events in one table layout
 * (ANALYTICS_EVENTS_SQL) and hand this module a minimal SQL runner, so the queries live once.
 */
import * as z from 'zod';
import type { ExperimentConfig, FunnelDefinition, GoalDefinition } from './definitions';
import { expectedShares } from './assignment';
import {
  funnelResult,
  JourneyCounter,
  stepsReachedIn,
  type FunnelStepResult,
  type JourneyCount,
} from './funnels';
import type { Timelines, TimelineView } from './timeline';
import {
  bayesian,
  sampleRatioMismatch,
  twoProportionTest,
  type BayesianResult,
  type FrequentistResult,
  type SrmResult,
} from './stats';

/**
 * The events table, the same on the server and in the app (one user there), with what keeps the
 * dashboard fast over millions of rows: covering indexes for the per-user streams (funnels,
 * journeys, goals) and, kept by triggers, daily rollups (counts per type, users per day, call
 * quality sums, voice commands), so that daily figures never scan the events.
 */
export const ANALYTICS_EVENTS_SQL = `
  CREATE TABLE IF NOT EXISTS analytics_events (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    type TEXT NOT NULL,
    at INTEGER NOT NULL,
    session_id TEXT NOT NULL,
    props TEXT NOT NULL,
    -- Denormalised from props for the queries that filter or group by them.
    screen TEXT,
    experiment TEXT,
    variant TEXT
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS analytics_events_stream
    ON analytics_events (type, at, user_id, screen);
  CREATE INDEX IF NOT EXISTS analytics_events_user
    ON analytics_events (type, user_id, at);
  CREATE INDEX IF NOT EXISTS analytics_events_at ON analytics_events (at);
  CREATE INDEX IF NOT EXISTS analytics_events_experiment
    ON analytics_events (experiment, type, user_id, at, variant) WHERE experiment IS NOT NULL;

  CREATE TABLE IF NOT EXISTS analytics_day_counts (
    day INTEGER NOT NULL, type TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (day, type)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS analytics_day_users (
    day INTEGER NOT NULL, user_id TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (day, user_id)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS analytics_day_quality (
    day INTEGER PRIMARY KEY, rtt REAL NOT NULL, jitter REAL NOT NULL, loss REAL NOT NULL,
    mos REAL NOT NULL, n INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS analytics_day_voice (
    day INTEGER NOT NULL, command TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (day, command)) WITHOUT ROWID;

  CREATE TRIGGER IF NOT EXISTS analytics_events_added AFTER INSERT ON analytics_events BEGIN
    INSERT INTO analytics_day_counts (day, type, n) VALUES (NEW.at / 86400000, NEW.type, 1)
      ON CONFLICT (day, type) DO UPDATE SET n = n + 1;
    INSERT INTO analytics_day_users (day, user_id, n) VALUES (NEW.at / 86400000, NEW.user_id, 1)
      ON CONFLICT (day, user_id) DO UPDATE SET n = n + 1;
    INSERT INTO analytics_day_quality (day, rtt, jitter, loss, mos, n)
      SELECT NEW.at / 86400000, json_extract(NEW.props, '$.rttMs'),
        json_extract(NEW.props, '$.jitterMs'), json_extract(NEW.props, '$.lossPct'),
        json_extract(NEW.props, '$.mos'), 1
      WHERE NEW.type = 'call.quality'
      ON CONFLICT (day) DO UPDATE SET rtt = rtt + excluded.rtt, jitter = jitter + excluded.jitter,
        loss = loss + excluded.loss, mos = mos + excluded.mos, n = n + 1;
    INSERT INTO analytics_day_voice (day, command, n)
      SELECT NEW.at / 86400000, json_extract(NEW.props, '$.command'), 1
      WHERE NEW.type = 'voice.command'
      ON CONFLICT (day, command) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER IF NOT EXISTS analytics_events_removed AFTER DELETE ON analytics_events BEGIN
    UPDATE analytics_day_counts SET n = n - 1 WHERE day = OLD.at / 86400000 AND type = OLD.type;
    UPDATE analytics_day_users SET n = n - 1 WHERE day = OLD.at / 86400000 AND user_id = OLD.user_id;
    DELETE FROM analytics_day_users WHERE day = OLD.at / 86400000 AND user_id = OLD.user_id AND n <= 0;
    UPDATE analytics_day_quality SET rtt = rtt - json_extract(OLD.props, '$.rttMs'),
        jitter = jitter - json_extract(OLD.props, '$.jitterMs'),
        loss = loss - json_extract(OLD.props, '$.lossPct'),
        mos = mos - json_extract(OLD.props, '$.mos'), n = n - 1
      WHERE OLD.type = 'call.quality' AND day = OLD.at / 86400000;
    UPDATE analytics_day_voice SET n = n - 1
      WHERE OLD.type = 'voice.command' AND day = OLD.at / 86400000
        AND command = json_extract(OLD.props, '$.command');
  END;`;

/** What this module needs of a database (better-sqlite3 on both sides). */
export interface SqlRunner {
  all<T>(sql: string, params: unknown[]): T[];
  /** Rows as arrays of column values (no object per row: for large streams). */
  rows(sql: string, params: unknown[]): unknown[][];
  run(sql: string, params: unknown[]): void;
  transaction(work: () => void): void;
}

/** A database that prepares statements (better-sqlite3's shape), as a SqlRunner. */
export function sqlRunner(db: {
  prepare(sql: string): {
    all(...params: unknown[]): unknown[];
    run(...params: unknown[]): unknown;
    raw(raw?: boolean): unknown;
  };
  transaction(work: () => void): () => void;
}): SqlRunner {
  const cache = new Map<string, ReturnType<typeof db.prepare>>();
  const prepared = (sql: string, raw: boolean) => {
    const key = (raw ? 'raw:' : '') + sql;
    let statement = cache.get(key);
    if (!statement) {
      statement = db.prepare(sql);
      if (raw) statement.raw(true);
      cache.set(key, statement);
    }
    return statement;
  };
  return {
    all: <T>(sql: string, params: unknown[]) => prepared(sql, false).all(...params) as T[],
    rows: (sql: string, params: unknown[]) => prepared(sql, true).all(...params) as unknown[][],
    run: (sql: string, params: unknown[]) => void prepared(sql, false).run(...params),
    transaction: (work: () => void) => db.transaction(work)(),
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

/** The range in whole UTC days, as the rollups count them: [first, last). */
function days(range: DashboardRange): [number, number] {
  return [Math.floor(range.from / DAY_MS), Math.ceil(range.to / DAY_MS)];
}
const DAY_MS = 86_400_000;
const DAY_LABEL = `strftime('%Y-%m-%d', day * 86400, 'unixepoch')`;

export function dailyFigures(sql: SqlRunner, range: DashboardRange): DailyRow[] {
  return sql.all<DailyRow>(
    `SELECT ${DAY_LABEL} AS day,
       (SELECT count(*) FROM analytics_day_users u WHERE u.day = c.day) AS activeUsers,
       sum(CASE WHEN type = 'message.sent' THEN n ELSE 0 END) AS messages,
       sum(CASE WHEN type = 'call.joined' THEN n ELSE 0 END) AS calls,
       sum(CASE WHEN type = 'voice.command' THEN n ELSE 0 END) AS voiceCommands
     FROM analytics_day_counts c WHERE day >= ? AND day < ? AND n > 0
     GROUP BY c.day ORDER BY c.day`,
    days(range),
  );
}

export function qualityFigures(sql: SqlRunner, range: DashboardRange): QualityRow[] {
  return sql.all<QualityRow>(
    `SELECT ${DAY_LABEL} AS day, round(rtt / n, 1) AS rttMs, round(loss / n, 2) AS lossPct,
       round(jitter / n, 1) AS jitterMs, round(mos / n, 2) AS mos, n AS samples
     FROM analytics_day_quality WHERE day >= ? AND day < ? AND n > 0 ORDER BY day`,
    days(range),
  );
}

export function voiceFigures(sql: SqlRunner, range: DashboardRange) {
  return sql.all<{ command: string; uses: number }>(
    `SELECT command, sum(n) AS uses FROM analytics_day_voice WHERE day >= ? AND day < ?
     GROUP BY command HAVING uses > 0 ORDER BY uses DESC, command LIMIT 10`,
    days(range),
  );
}

/** Per-step users of a funnel, from the users' timelines. */
export function funnelFigures(view: TimelineView, funnel: FunnelDefinition) {
  // For each step, which codes are that step: one array lookup per event.
  const fits = funnel.steps.map((step) =>
    Uint8Array.from(view.kinds, (kind) =>
      kind && kind.type === step.type && (step.screen === undefined || kind.screen === step.screen)
        ? 1
        : 0,
    ),
  );
  const counts = new Array<number>(funnel.steps.length).fill(0);
  for (const user of view.users) {
    const { at, code } = user;
    const reached = stepsReachedIn(
      { length: at.length, at: (i) => at[i]!, fits: (i, step) => fits[step]![code[i]!] === 1 },
      funnel.steps.length,
      funnel.windowMs,
    );
    for (let i = 0; i < reached; i++) counts[i]!++;
  }
  return { key: funnel.key, name: funnel.name, steps: funnelResult(funnel.steps, counts) };
}

/** The most common paths through screens, from the users' timelines. */
export function journeyFigures(view: TimelineView): JourneyCount[] {
  const screens = view.kinds.map((kind) =>
    kind && kind.type === 'screen.viewed' && kind.screen ? kind.screen : null,
  );
  const counter = new JourneyCounter({ limit: 10 });
  for (const user of view.users) {
    counter.startUser();
    for (let i = 0; i < user.at.length; i++) {
      const screen = screens[user.code[i]!];
      if (screen) counter.view(user.at[i]!, screen);
    }
  }
  return counter.top();
}

/** Users active in the range (by whole days), and of them those who reached the goal. */
export function goalFigures(sql: SqlRunner, range: DashboardRange, goal: GoalDefinition) {
  const [active] = sql.all<{ users: number }>(
    'SELECT count(DISTINCT user_id) AS users FROM analytics_day_users WHERE day >= ? AND day < ?',
    days(range),
  );
  const [reached] = sql.all<{ converted: number }>(
    `SELECT count(DISTINCT user_id) AS converted FROM analytics_events
       INDEXED BY analytics_events_stream
     WHERE type = ? AND at >= ? AND at < ? AND (? IS NULL OR screen = ?)`,
    [goal.step.type, range.from, range.to, goal.step.screen ?? null, goal.step.screen ?? null],
  );
  const users = active?.users ?? 0;
  const converted = reached?.converted ?? 0;
  return { key: goal.key, name: goal.name, users, converted, rate: users ? converted / users : 0 };
}

/**
 * Per variant: users exposed (a user's first exposure decides the variant), and of them those
 * who reached the goal at or after that exposure and before the range ends.
 */
export function experimentFigures(
  sql: SqlRunner,
  range: DashboardRange,
  experiment: ExperimentConfig,
  goal: GoalDefinition | undefined,
): ExperimentResult {
  const counts = sql.all<{ variant: string; users: number; conversions: number }>(
    `WITH exposed AS (
       SELECT user_id, variant, min(at) AS at FROM analytics_events
       WHERE experiment = ? AND type = 'experiment.exposure' AND at >= ? AND at < ?
       GROUP BY user_id)
     SELECT variant, count(*) AS users,
       sum(EXISTS (SELECT 1 FROM analytics_events g INDEXED BY analytics_events_user
         WHERE g.type = ? AND g.user_id = e.user_id AND g.at >= e.at AND g.at < ?
           AND (? IS NULL OR g.screen = ?))) AS conversions
     FROM exposed e GROUP BY variant`,
    [
      experiment.key,
      range.from,
      range.to,
      goal?.step.type ?? '',
      range.to,
      goal?.step.screen ?? null,
      goal?.step.screen ?? null,
    ],
  );
  const arms = experiment.variants.map((v) => {
    const row = counts.find((c) => c.variant === v.key);
    return {
      variant: v.key,
      users: row?.users ?? 0,
      conversions: goal ? (row?.conversions ?? 0) : 0,
    };
  });
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
      expectedShares(
        experiment.variants.length,
        experiment.coverage,
        experiment.variants.map((v) => v.weight),
      ),
    ),
    underpowered: arms.some((a) => a.users < experiment.plannedUsersPerVariant),
    plannedUsersPerVariant: experiment.plannedUsersPerVariant,
  };
}

export function computeDashboard(
  sql: SqlRunner,
  timelines: Timelines,
  range: DashboardRange,
  definitions: {
    goals: GoalDefinition[];
    funnels: FunnelDefinition[];
    experiments: ExperimentConfig[];
  },
): DashboardData {
  const [{ n } = { n: 0 }] = sql.all<{ n: number }>(
    'SELECT coalesce(sum(n), 0) AS n FROM analytics_day_counts WHERE day >= ? AND day < ?',
    days(range),
  );
  const view = timelines.read(range);
  return {
    range,
    daily: dailyFigures(sql, range),
    quality: qualityFigures(sql, range),
    voiceCommands: voiceFigures(sql, range),
    journeys: journeyFigures(view),
    funnels: definitions.funnels.map((f) => funnelFigures(view, f)),
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
