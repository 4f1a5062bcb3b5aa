/**
 * Analytics on the server: events from every signed-in client, stored once each (by event id,
 * so a resent batch counts once), with the sender's user id; the team's goals, funnels and
 * experiments; and the dashboard computed across users. Its own database (analytics.db), so that
 * event volume never slows the chat store.
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

const SCHEMA = `${ANALYTICS_EVENTS_SQL}
  ${ANALYTICS_TIMELINE_SQL}
  CREATE TABLE IF NOT EXISTS analytics_definitions (
    key        TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    definition TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;`;

export class ServerAnalytics {
  private readonly db: Database;
  private readonly sql: SqlRunner;
  private readonly insert: Statement;
  private readonly timelines: Timelines;
  /** Refused events by reason since start (for /healthz and the logs). */
  readonly rejected = new Map<string, number>();

  constructor(
    dataDir: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new BetterSqlite3(path.join(dataDir, 'analytics.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.sql = sqlRunner(this.db);
    this.insert = this.db.prepare(INSERT_EVENT_SQL);
    this.timelines = new Timelines(this.sql);
  }

  handle(userId: string, frame: AnalyticsRequest): ServerReply {
    const rid = frame.rid;
    switch (frame.t) {
      case 'analytics.upload':
        return { t: 'analytics.ack', rid, ...this.ingest(userId, frame.events) };
      case 'analytics.query':
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
        this.db.prepare('DELETE FROM analytics_definitions WHERE key = ?').run(frame.key);
        return { t: 'analytics.defs', rid, definitions: this.definitions() };
    }
  }

  /** Stores the valid events of a batch in one transaction; counts the others by reason. */
  ingest(
    userId: string,
    events: unknown[],
  ): { accepted: number; duplicates: number; rejected: number } {
    let accepted = 0;
    let duplicates = 0;
    let rejected = 0;
    this.db.transaction(() => {
      for (const input of events) {
        const check = checkEvent(input);
        if (!check.ok) {
          rejected++;
          this.rejected.set(check.reason, (this.rejected.get(check.reason) ?? 0) + 1);
          continue;
        }
        if (this.insert.run(...eventRow(userId, check.event)).changes > 0) accepted++;
        else duplicates++;
      }
    })();
    if (rejected) this.logger.warn('analytics events refused', { userId, rejected });
    // Pre-aggregation at ingest: the batch's user-days are packed now, not at the next query.
    if (accepted) this.timelines.refresh();
    return { accepted, duplicates, rejected };
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
    this.db.close();
  }
}
