/**
 * Incidents: something went wrong that the user should know of (a health rule breached, a crash,
 * a damaged database). Each has a severity and a timeline; the user acknowledges it and resolves
 * it with a note, and can export all of them as a Markdown or JSON report.
 *
 * Kept in a database of its own (incidents.db), not in the local store: restoring a backup or
 * recovering from a damaged store must not take the record of it away.
 */

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS incidents (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL,
    severity     TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    title        TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
    opened_at    INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    resolved_at  INTEGER,
    note         TEXT
  ) STRICT;
  -- One unresolved incident per key: a rule that keeps failing adds to its timeline.
  CREATE UNIQUE INDEX IF NOT EXISTS incidents_unresolved_key
    ON incidents (key) WHERE state <> 'resolved';
  CREATE TABLE IF NOT EXISTS incident_events (
    id           INTEGER PRIMARY KEY,
    incident_id  INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    at           INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    text         TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS incident_events_by_incident ON incident_events (incident_id, at);
`;

/** Opens (creating) the incident database; a damaged one is kept aside and started afresh. */
export function openIncidentDatabase(file: string): { db: Database; replacedDamaged: boolean } {
  const open = () => {
    const db = new BetterSqlite3(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      if (db.pragma('quick_check', { simple: true }) !== 'ok') throw new Error('damaged');
      db.exec(SCHEMA);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  };
  try {
    return { db: open(), replacedDamaged: false };
  } catch {
    for (const suffix of ['', '-wal', '-shm'])
      if (fs.existsSync(file + suffix))
        fs.renameSync(file + suffix, `${file}.damaged-${Date.now()}${suffix}`);
    return { db: open(), replacedDamaged: true };
  }
}
import fs from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type {
  Incident,
  IncidentEvent,
  IncidentSeverity,
} from '../../../src-shared/ipc/operations-types';

interface IncidentRow {
  id: number;
  key: string;
  severity: IncidentSeverity;
  title: string;
  state: Incident['state'];
  opened_at: number;
  updated_at: number;
  resolved_at: number | null;
  note: string | null;
}

const SEVERITY_RANK: Record<IncidentSeverity, number> = { info: 0, warning: 1, critical: 2 };

export class IncidentLog {
  private readonly listeners = new Set<(incidents: Incident[]) => void>();

  constructor(
    private readonly db: Database,
    private readonly now: () => number = Date.now,
  ) {}

  onChange(listener: (incidents: Incident[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Opens an incident for `key`, or adds to the unresolved one (raising its severity if this is
   * worse). Returns the incident.
   */
  report(key: string, severity: IncidentSeverity, title: string, detail: string): Incident {
    const at = this.now();
    const id = this.db.transaction(() => {
      const current = this.db
        .prepare("SELECT * FROM incidents WHERE key = ? AND state <> 'resolved'")
        .get(key) as IncidentRow | undefined;
      if (current) {
        const worse = SEVERITY_RANK[severity] > SEVERITY_RANK[current.severity];
        this.db
          .prepare('UPDATE incidents SET severity = ?, updated_at = ? WHERE id = ?')
          .run(worse ? severity : current.severity, at, current.id);
        this.addEvent(current.id, at, 'recurred', detail);
        return current.id;
      }
      const info = this.db
        .prepare(
          "INSERT INTO incidents (key, severity, title, state, opened_at, updated_at) VALUES (?, ?, ?, 'open', ?, ?)",
        )
        .run(key, severity, title, at, at);
      const newId = Number(info.lastInsertRowid);
      this.addEvent(newId, at, 'opened', detail);
      return newId;
    })();
    this.emit();
    return this.get(id)!;
  }

  /** A condition went back to normal: noted on the unresolved incident, which stays for the user. */
  recovered(key: string, detail: string): void {
    const current = this.db
      .prepare("SELECT id FROM incidents WHERE key = ? AND state <> 'resolved'")
      .get(key) as { id: number } | undefined;
    if (!current) return;
    const at = this.now();
    this.addEvent(current.id, at, 'recovered', detail);
    this.db.prepare('UPDATE incidents SET updated_at = ? WHERE id = ?').run(at, current.id);
    this.emit();
  }

  acknowledge(id: number, note = ''): Incident {
    return this.transition(id, 'acknowledged', note);
  }

  resolve(id: number, note = ''): Incident {
    return this.transition(id, 'resolved', note);
  }

  get(id: number): Incident | null {
    const row = this.db.prepare('SELECT * FROM incidents WHERE id = ?').get(id) as
      IncidentRow | undefined;
    return row ? this.toIncident(row) : null;
  }

  /** Unresolved first (worst first), then the most recently changed. */
  list(limit = 200): Incident[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM incidents
         ORDER BY state = 'resolved',
                  CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
                  updated_at DESC
         LIMIT ?`,
      )
      .all(limit) as IncidentRow[];
    return rows.map((row) => this.toIncident(row));
  }

  exportJson(): string {
    return JSON.stringify({ exportedAt: this.now(), incidents: this.list(10_000) }, null, 2);
  }

  exportMarkdown(): string {
    const time = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 19);
    const lines = [`# Incident report`, '', `Exported ${time(this.now())} UTC.`, ''];
    const incidents = this.list(10_000);
    if (!incidents.length) lines.push('No incidents.');
    for (const incident of incidents) {
      lines.push(
        `## #${incident.id} ${incident.title}`,
        '',
        `- Severity: ${incident.severity}`,
        `- State: ${incident.state}`,
        `- Opened: ${time(incident.openedAt)} UTC`,
      );
      if (incident.resolvedAt) lines.push(`- Resolved: ${time(incident.resolvedAt)} UTC`);
      if (incident.note) lines.push(`- Note: ${incident.note.replace(/\n/g, ' ')}`);
      lines.push('', '| Time (UTC) | Event | Detail |', '| --- | --- | --- |');
      for (const event of incident.events)
        lines.push(`| ${time(event.at)} | ${event.kind} | ${event.text.replace(/[|\n]/g, ' ')} |`);
      lines.push('');
    }
    return lines.join('\n');
  }

  private transition(id: number, state: 'acknowledged' | 'resolved', note: string): Incident {
    const row = this.db.prepare('SELECT * FROM incidents WHERE id = ?').get(id) as
      IncidentRow | undefined;
    if (!row) throw new IncidentNotFoundError(id);
    if (row.state === 'resolved') return this.toIncident(row);
    const at = this.now();
    const text = note.trim();
    this.db.transaction(() => {
      this.db
        .prepare(
          'UPDATE incidents SET state = ?, updated_at = ?, resolved_at = ?, note = coalesce(?, note) WHERE id = ?',
        )
        .run(state, at, state === 'resolved' ? at : null, text || null, id);
      this.addEvent(id, at, state, text);
    })();
    this.emit();
    return this.get(id)!;
  }

  private addEvent(id: number, at: number, kind: IncidentEvent['kind'], text: string): void {
    this.db
      .prepare('INSERT INTO incident_events (incident_id, at, kind, text) VALUES (?, ?, ?, ?)')
      .run(id, at, kind, text.slice(0, 2000));
  }

  private toIncident(row: IncidentRow): Incident {
    const events = this.db
      .prepare(
        'SELECT at, kind, text FROM incident_events WHERE incident_id = ? ORDER BY at, id LIMIT 500',
      )
      .all(row.id) as IncidentEvent[];
    return {
      id: row.id,
      key: row.key,
      severity: row.severity,
      title: row.title,
      state: row.state,
      openedAt: row.opened_at,
      updatedAt: row.updated_at,
      resolvedAt: row.resolved_at,
      note: row.note,
      events,
    };
  }

  private emit(): void {
    if (!this.listeners.size) return;
    const list = this.list();
    for (const listener of this.listeners) listener(list);
  }
}

export class IncidentNotFoundError extends Error {
  constructor(readonly id: number) {
    super(`no incident #${id}`);
    this.name = 'IncidentNotFoundError';
  }
}
