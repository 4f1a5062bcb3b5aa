/**
 * Analytics on the server: events from every signed-in client, stored once each (by event id,
 * so a resent batch counts once), with the sender's user id; the team's goals, funnels and
 * experiments; and the dashboard computed across users. Its own database (analytics.db), so that
 * event volume never slows the chat store.
 *
 * Who may do what: every identity uploads its own events (within a daily quota, dated near now,
 * limited by events and bytes per second) and reads the definitions (experiments are the app's
 * feature flags); only administrators read figures across users and change definitions.
 * Packing the per-user timelines is deferred off the request path and done in small steps.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import {
  ANALYTICS_EVENTS_SQL,
  computeDashboard,
  eventRow,
  INSERT_EVENT_SQL,
  sqlRunner,
  type SqlRunner,
} from '../src-shared/analytics/dashboard';
import { AnalyticsDefinition } from '../src-shared/analytics/definitions';
import { checkEvent } from '../src-shared/analytics/events';
import { ANALYTICS_TIMELINE_SQL, Timelines } from '../src-shared/analytics/timeline';
import type { Logger } from '../src-shared/log';
import type { AnalyticsRequest, ServerReply } from '../src-shared/protocol/frames';
import { TokenBucket } from '../src-shared/rate-limit';
import { RequestError } from './chat-service';

const SCHEMA = `${ANALYTICS_EVENTS_SQL}
  ${ANALYTICS_TIMELINE_SQL}
  CREATE TABLE IF NOT EXISTS analytics_definitions (
    key        TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    definition TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS analytics_quota (
    user_id  TEXT NOT NULL,
    day      INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    PRIMARY KEY (user_id, day)
  ) WITHOUT ROWID;`;

const DAY_MS = 86_400_000;

export interface AnalyticsLimits {
  /** Events one identity may have stored per UTC day (of arrival). */
  dailyQuota: number;
  /** Events dated further back than this, or further ahead, are refused. */
  maxAgeMs: number;
  maxAheadMs: number;
  /** Upload cost per identity: events and bytes, at once and per second. */
  eventsBurst: number;
  eventsPerSec: number;
  bytesBurst: number;
  bytesPerSec: number;
}

export const DEFAULT_ANALYTICS_LIMITS: AnalyticsLimits = {
  dailyQuota: 20_000,
  maxAgeMs: 30 * DAY_MS,
  maxAheadMs: 10 * 60_000,
  eventsBurst: 2000,
  eventsPerSec: 100,
  bytesBurst: 1024 * 1024,
  bytesPerSec: 64 * 1024,
};

/** Stale user-weeks packed per step of the deferred refresh (each step a few ms at most). */
const TIMELINE_STEP = 8;

export class ServerAnalytics {
  private readonly db: Database;
  private readonly sql: SqlRunner;
  private readonly insert: Statement;
  private readonly timelines: Timelines;
  private readonly limits: AnalyticsLimits;
  private readonly costs = new Map<string, { events: TokenBucket; bytes: TokenBucket }>();
  private refreshTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Refused events by reason since start (for /healthz and the logs). */
  readonly rejected = new Map<string, number>();

  constructor(
    dataDir: string,
    private readonly logger: Logger,
    limits: Partial<AnalyticsLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_ANALYTICS_LIMITS, ...limits };
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new BetterSqlite3(path.join(dataDir, 'analytics.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.sql = sqlRunner(this.db);
    this.insert = this.db.prepare(INSERT_EVENT_SQL);
    this.timelines = new Timelines(this.sql);
    this.scheduleTimelines();
  }

  /**
   * Answers one analytics request of `userId`; `admin` says whether they administer the server.
   * `bytes` is the request's size on the wire (uploads are limited by it).
   */
  handle(userId: string, admin: boolean, frame: AnalyticsRequest, bytes: number): ServerReply {
    const rid = frame.rid;
    const adminOnly = (what: string) => {
      if (!admin)
        throw new RequestError('forbidden', `only the server's administrators can ${what}`);
    };
    switch (frame.t) {
      case 'analytics.upload':
        this.chargeUpload(userId, frame.events.length, bytes);
        return { t: 'analytics.ack', rid, ...this.ingest(userId, frame.events) };
      case 'analytics.query':
        adminOnly('see figures across all users');
        return {
          t: 'analytics.result',
          rid,
          data: computeDashboard(
            this.sql,
            this.timelines,
            frame.range,
            this.definitionsByKind(),
          ) as never,
        };
      case 'analytics.defs':
        return { t: 'analytics.defs', rid, definitions: this.definitions() };
      case 'analytics.define':
        adminOnly('define, start, stop or ship goals, funnels and experiments');
        this.db
          .prepare(
            `INSERT INTO analytics_definitions (key, kind, definition, updated_by, updated_at)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, definition = excluded.definition,
               updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
          )
          .run(
            frame.definition.key,
            frame.definition.kind,
            JSON.stringify(frame.definition),
            userId,
            this.now(),
          );
        return { t: 'analytics.defs', rid, definitions: this.definitions() };
      case 'analytics.undefine':
        adminOnly('delete goals, funnels and experiments');
        this.db.prepare('DELETE FROM analytics_definitions WHERE key = ?').run(frame.key);
        return { t: 'analytics.defs', rid, definitions: this.definitions() };
    }
  }

  /** Uploads cost what they carry (events and bytes), not one frame each. */
  private chargeUpload(userId: string, events: number, bytes: number): void {
    let cost = this.costs.get(userId);
    if (!cost) {
      cost = {
        events: new TokenBucket(this.limits.eventsBurst, this.limits.eventsPerSec),
        bytes: new TokenBucket(this.limits.bytesBurst, this.limits.bytesPerSec),
      };
      this.costs.set(userId, cost);
    }
    const wait = Math.max(cost.events.waitFor(events), cost.bytes.waitFor(bytes));
    if (wait > 0)
      throw new RequestError(
        'rate_limited',
        `analytics uploads are limited; retry in ${Math.ceil(wait)} s`,
      );
    cost.events.take(events);
    cost.bytes.take(bytes);
    if (this.costs.size > 10_000)
      for (const [id, c] of this.costs)
        if (c.events.isFull() && c.bytes.isFull()) this.costs.delete(id);
  }

  /**
   * Stores the valid events of a batch in one transaction: dated within the window around now,
   * and within the identity's quota for today; counts the others by reason.
   */
  ingest(
    userId: string,
    events: unknown[],
  ): { accepted: number; duplicates: number; rejected: number } {
    let accepted = 0;
    let duplicates = 0;
    let rejected = 0;
    const now = this.now();
    const day = Math.floor(now / DAY_MS);
    const refuse = (reason: string) => {
      rejected++;
      this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
    };
    this.db.transaction(() => {
      const used =
        (
          this.db
            .prepare('SELECT accepted FROM analytics_quota WHERE user_id = ? AND day = ?')
            .get(userId, day) as { accepted: number } | undefined
        )?.accepted ?? 0;
      for (const input of events) {
        const check = checkEvent(input);
        if (!check.ok) {
          refuse(check.reason);
          continue;
        }
        const at = check.event.at;
        if (at < now - this.limits.maxAgeMs || at > now + this.limits.maxAheadMs) {
          refuse('out_of_window');
          continue;
        }
        if (used + accepted >= this.limits.dailyQuota) {
          refuse('over_quota');
          continue;
        }
        if (this.insert.run(...eventRow(userId, check.event)).changes > 0) accepted++;
        else duplicates++;
      }
      if (accepted)
        this.db
          .prepare(
            `INSERT INTO analytics_quota (user_id, day, accepted) VALUES (?, ?, ?)
             ON CONFLICT (user_id, day) DO UPDATE SET accepted = accepted + excluded.accepted`,
          )
          .run(userId, day, accepted);
    })();
    if (rejected) this.logger.warn('analytics events refused', { userId, rejected });
    if (accepted) this.scheduleTimelines();
    return { accepted, duplicates, rejected };
  }

  /**
   * Packs the stale timelines a few at a time, yielding between steps, so that ingest never
   * waits for it; a dashboard query packs whatever is left before it reads.
   */
  private scheduleTimelines(): void {
    if (this.refreshTimer || this.closed) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      if (this.closed) return;
      try {
        if (this.timelines.refresh(TIMELINE_STEP) === TIMELINE_STEP) this.scheduleTimelines();
      } catch (error) {
        this.logger.error('packing analytics timelines failed', { error });
      }
    }, 5);
    this.refreshTimer.unref();
  }

  definitions(): AnalyticsDefinition[] {
    const rows = this.db
      .prepare('SELECT definition FROM analytics_definitions ORDER BY kind, key')
      .all() as Array<{ definition: string }>;
    // A definition stored by an older server that no longer parses is skipped, not fatal.
    return rows.flatMap((row) => {
      const parsed = AnalyticsDefinition.safeParse(JSON.parse(row.definition));
      return parsed.success ? [parsed.data] : [];
    });
  }

  private definitionsByKind() {
    const all = this.definitions();
    return {
      goals: all.filter((d) => d.kind === 'goal'),
      funnels: all.filter((d) => d.kind === 'funnel'),
      experiments: all.filter((d) => d.kind === 'experiment'),
    };
  }

  close(): void {
    this.closed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.db.close();
  }
}
