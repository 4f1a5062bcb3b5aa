/**
 * Analytics in main: events from the renderer (and main's own), checked against their schemas,
 * stored in the local database only with the user's consent, uploaded in batches whenever the
 * server session is up (a resend is harmless: the server keeps each event id once), and the
 * dashboard: from the server when connected, from the local events (marked local-only) when not.
 * Definitions (goals, funnels, experiments) come from the server and are cached for offline use;
 * feature flags are assigned locally from them (GrowthBook-compatible hashing).
 */
import crypto from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { assign } from '../../../src-shared/analytics/assignment';
import {
  computeDashboard,
  eventRow,
  INSERT_EVENT_SQL,
  sqlRunner,
  type DashboardData,
  type DashboardRange,
  type SqlRunner,
} from '../../../src-shared/analytics/dashboard';
import {
  AnalyticsDefinition,
  type ExperimentConfig,
} from '../../../src-shared/analytics/definitions';
import { checkEvent, type AnalyticsEvent } from '../../../src-shared/analytics/events';
import { Timelines } from '../../../src-shared/analytics/timeline';
import type { Logger } from '../../../src-shared/log';
import type { AnalyticsConsent } from '../../../src-shared/settings';

export const MAX_LOCAL_EVENTS = 200_000;
export const MAX_EVENT_AGE_MS = 90 * 86_400_000;
const UPLOAD_BATCH = 200;

export interface RecordResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Not recorded because analytics is off. */
  ignored: number;
}

export interface AnalyticsStatus {
  consent: AnalyticsConsent;
  stored: number;
  pending: number;
  rejected: Record<string, number>;
  lastUpload: { at: number; accepted: number; duplicates: number; rejected: number } | null;
}

export interface Uploader {
  isOnline(): boolean;
  upload(
    events: AnalyticsEvent[],
  ): Promise<{ accepted: number; duplicates: number; rejected: number }>;
  query(range: DashboardRange): Promise<DashboardData>;
  definitions(): Promise<AnalyticsDefinition[]>;
  define(definition: AnalyticsDefinition): Promise<AnalyticsDefinition[]>;
  undefine(key: string): Promise<AnalyticsDefinition[]>;
}

export class AnalyticsService {
  private readonly sql: SqlRunner;
  private readonly timelines: Timelines;
  private readonly stmt: Record<string, Statement>;
  private uploading: Promise<void> | null = null;
  private lastUpload: AnalyticsStatus['lastUpload'] = null;
  /** Rows kept, counted once and then followed, so that a batch never counts the table. */
  private stored: number | null = null;
  private acceptedSinceFlush = 0;
  private lastAgeTrim = 0;
  readonly sessionId = crypto.randomBytes(12).toString('base64url');

  constructor(
    private readonly db: Database,
    private readonly options: {
      consent(): AnalyticsConsent;
      userId(): string | null;
      uploader: Uploader;
      logger: Logger;
      now?: () => number;
      maxEvents?: number;
      maxAgeMs?: number;
    },
  ) {
    this.sql = sqlRunner(db);
    this.timelines = new Timelines(this.sql);
    const s = (sql: string) => db.prepare(sql);
    this.stmt = {
      insert: s(INSERT_EVENT_SQL),
      pend: s('INSERT OR IGNORE INTO analytics_pending (id) VALUES (?)'),
      pending: s(`SELECT e.id, e.type, e.at, e.session_id AS sessionId, e.props
        FROM analytics_pending p JOIN analytics_events e ON e.id = p.id ORDER BY e.at LIMIT ?`),
      unpend: s('DELETE FROM analytics_pending WHERE id = ?'),
      reject: s(`INSERT INTO analytics_rejections (reason, count) VALUES (?, 1)
        ON CONFLICT (reason) DO UPDATE SET count = count + 1`),
      count: s('SELECT count(*) AS n FROM analytics_events'),
      pendingCount: s('SELECT count(*) AS n FROM analytics_pending'),
      rejections: s('SELECT reason, count FROM analytics_rejections'),
      trimOld: s('DELETE FROM analytics_events WHERE at < ?'),
      trimCount: s(`DELETE FROM analytics_events WHERE id IN (
        SELECT id FROM analytics_events ORDER BY at LIMIT ?)`),
      orphans: s('DELETE FROM analytics_pending WHERE id NOT IN (SELECT id FROM analytics_events)'),
      saveDefinition: s(`INSERT INTO analytics_definitions (key, kind, definition) VALUES (?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, definition = excluded.definition`),
      definitions: s('SELECT definition FROM analytics_definitions ORDER BY kind, key'),
      clearDefinitions: s('DELETE FROM analytics_definitions'),
    };
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /**
   * A new event of this app's own (main's or the renderer's), with its id and session. A time
   * from the renderer is kept if it is within a day of now (a wrong clock is not trusted).
   */
  event(type: string, props: Record<string, unknown>, at?: number): AnalyticsEvent {
    const now = this.now();
    return {
      id: crypto.randomBytes(12).toString('base64url'),
      type,
      at: at !== undefined && Math.abs(at - now) < 86_400_000 ? at : now,
      sessionId: this.sessionId,
      props,
    };
  }

  /** Checks and stores events; with consent not given, nothing is kept. */
  record(inputs: unknown[]): RecordResult {
    const result: RecordResult = { accepted: 0, duplicates: 0, rejected: 0, ignored: 0 };
    if (this.options.consent() !== 'granted') {
      result.ignored = inputs.length;
      return result;
    }
    const userId = this.options.userId() ?? 'local';
    this.db.transaction(() => {
      for (const input of inputs) {
        const check = checkEvent(input);
        if (!check.ok) {
          result.rejected++;
          this.stmt.reject!.run(check.reason);
          continue;
        }
        if (this.stmt.insert!.run(...eventRow(userId, check.event)).changes > 0) {
          this.stmt.pend!.run(check.event.id);
          result.accepted++;
        } else result.duplicates++;
      }
    })();
    if (result.rejected) this.options.logger.warn('analytics events refused', { ...result });
    if (result.accepted) {
      this.stored = (this.stored ?? this.countStored() - result.accepted) + result.accepted;
      this.acceptedSinceFlush += result.accepted;
      const max = this.options.maxEvents ?? MAX_LOCAL_EVENTS;
      if (this.stored > max || this.now() - this.lastAgeTrim > 3_600_000) this.enforceRetention();
    }
    // Pre-aggregation at ingest: the batch's days are packed now, not at the next query.
    if (result.accepted) this.timelines.refresh();
    if (this.acceptedSinceFlush >= UPLOAD_BATCH) void this.flush();
    return result;
  }

  /** Oldest events go first past the age or count limit (uploaded or not: it is a cache). */
  enforceRetention(): void {
    this.lastAgeTrim = this.now();
    this.stmt.trimOld!.run(this.now() - (this.options.maxAgeMs ?? MAX_EVENT_AGE_MS));
    const n = this.countStored();
    const max = this.options.maxEvents ?? MAX_LOCAL_EVENTS;
    if (n > max) this.stmt.trimCount!.run(n - max);
    this.stmt.orphans!.run();
    this.stored = Math.min(n, max);
  }

  private countStored(): number {
    return (this.stmt.count!.get() as { n: number }).n;
  }

  pendingCount(): number {
    return (this.stmt.pendingCount!.get() as { n: number }).n;
  }

  /** Uploads what is pending, batch by batch, while the server session is up. */
  flush(): Promise<void> {
    if (this.uploading) return this.uploading;
    this.acceptedSinceFlush = 0;
    const run = this.upload().finally(() => {
      if (this.uploading === run) this.uploading = null;
    });
    this.uploading = run;
    return run;
  }

  private async upload(): Promise<void> {
    try {
      while (this.options.consent() === 'granted' && this.options.uploader.isOnline()) {
        const rows = this.stmt.pending!.all(UPLOAD_BATCH) as Array<
          Omit<AnalyticsEvent, 'props'> & { props: string }
        >;
        if (rows.length === 0) break;
        const events = rows.map((row) => ({
          ...row,
          props: JSON.parse(row.props) as Record<string, unknown>,
        }));
        const reply = await this.options.uploader.upload(events);
        this.db.transaction(() => {
          for (const event of events) this.stmt.unpend!.run(event.id);
        })();
        this.lastUpload = { at: this.now(), ...reply };
      }
    } catch (error) {
      this.options.logger.info('analytics upload postponed', { error: (error as Error).message });
    }
  }

  status(): AnalyticsStatus {
    return {
      consent: this.options.consent(),
      stored: this.countStored(),
      pending: this.pendingCount(),
      rejected: Object.fromEntries(
        (this.stmt.rejections!.all() as Array<{ reason: string; count: number }>).map((r) => [
          r.reason,
          r.count,
        ]),
      ),
      lastUpload: this.lastUpload,
    };
  }

  /** Consent withdrawn: everything recorded and not yet sent is deleted. */
  forget(): void {
    this.db.transaction(() => {
      this.db.exec('DELETE FROM analytics_pending; DELETE FROM analytics_events;');
    })();
    this.stored = 0;
  }

  /**
   * Across users from the server for its administrators when connected; else this app's own
   * events, marked so (and why: offline, or not an administrator).
   */
  async dashboard(range: DashboardRange): Promise<{
    source: 'server' | 'local';
    data: DashboardData;
    canManage: boolean;
    localReason: 'offline' | 'not_admin' | null;
  }> {
    let localReason: 'offline' | 'not_admin' = 'offline';
    if (this.options.uploader.isOnline()) {
      try {
        await this.flush();
        const data = await this.options.uploader.query(range);
        return { source: 'server', data, canManage: true, localReason: null };
      } catch (error) {
        // The server decides who administers it (an operator may name someone at any time).
        if ((error as { code?: string }).code === 'forbidden') localReason = 'not_admin';
        this.options.logger.info('dashboard from local events', {
          error: (error as Error).message,
        });
      }
    }
    return { source: 'local', data: this.localDashboard(range), canManage: false, localReason };
  }

  localDashboard(range: DashboardRange): DashboardData {
    const all = this.definitions();
    return computeDashboard(this.sql, this.timelines, range, {
      goals: all.filter((d) => d.kind === 'goal'),
      funnels: all.filter((d) => d.kind === 'funnel'),
      experiments: all.filter((d) => d.kind === 'experiment'),
    });
  }

  definitions(): AnalyticsDefinition[] {
    return (this.stmt.definitions!.all() as Array<{ definition: string }>).flatMap((row) => {
      const parsed = AnalyticsDefinition.safeParse(JSON.parse(row.definition));
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** Replaces the cached definitions with the server's. */
  cacheDefinitions(definitions: AnalyticsDefinition[]): void {
    this.db.transaction(() => {
      this.stmt.clearDefinitions!.run();
      for (const d of definitions) this.stmt.saveDefinition!.run(d.key, d.kind, JSON.stringify(d));
    })();
  }

  async refreshDefinitions(): Promise<AnalyticsDefinition[]> {
    if (this.options.uploader.isOnline()) {
      try {
        this.cacheDefinitions(await this.options.uploader.definitions());
      } catch (error) {
        this.options.logger.info('analytics definitions from cache', {
          error: (error as Error).message,
        });
      }
    }
    return this.definitions();
  }

  async define(definition: AnalyticsDefinition): Promise<AnalyticsDefinition[]> {
    const list = await this.options.uploader.define(definition);
    this.cacheDefinitions(list);
    return list;
  }

  async undefine(key: string): Promise<AnalyticsDefinition[]> {
    const list = await this.options.uploader.undefine(key);
    this.cacheDefinitions(list);
    return list;
  }

  /**
   * The variant of a feature flag (an experiment's key) for this user, or null (not running,
   * not targeted, outside coverage, no such experiment). Pure: the same on every device.
   */
  variant(key: string, attributes: Record<string, string>): string | null {
    const experiment = this.definitions().find(
      (d): d is ExperimentConfig => d.kind === 'experiment' && d.key === key,
    );
    const userId = this.options.userId();
    if (!experiment || !userId) return null;
    return assign(experiment, { ...attributes, id: userId }).variant;
  }
}
