import type { Database } from 'better-sqlite3';

/** Records each start and clean stop of the app; a run without a stop was an unclean shutdown. */
export class AppRunLog {
  private runId: number | null = null;

  constructor(private readonly db: Database) {}

  /** Starts a run; returns whether the previous run ended without a clean stop. */
  begin(host: string, version: string, now = Date.now()): { previousRunUnclean: boolean } {
    const last = this.db
      .prepare('SELECT stopped_at FROM app_runs ORDER BY id DESC LIMIT 1')
      .get() as { stopped_at: number | null } | undefined;
    const info = this.db
      .prepare('INSERT INTO app_runs (started_at, host, version) VALUES (?, ?, ?)')
      .run(now, host, version);
    this.runId = Number(info.lastInsertRowid);
    return { previousRunUnclean: last !== undefined && last.stopped_at === null };
  }

  end(now = Date.now()): void {
    if (this.runId === null) return;
    this.db.prepare('UPDATE app_runs SET stopped_at = ? WHERE id = ?').run(now, this.runId);
    this.runId = null;
  }

  /** When this installation (this database) first ran. */
  firstStartedAt(): number {
    const row = this.db.prepare('SELECT min(started_at) AS at FROM app_runs').get() as {
      at: number | null;
    };
    return row.at ?? Date.now();
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM app_runs').get() as { n: number }).n;
  }
}
