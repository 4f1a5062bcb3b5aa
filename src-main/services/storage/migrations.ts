import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export class MigrationError extends Error {
  constructor(
    readonly version: number,
    readonly migrationName: string,
    cause: unknown,
  ) {
    super(`migration ${version} (${migrationName}) failed: ${(cause as Error)?.message ?? cause}`);
    this.name = 'MigrationError';
  }
}

/** The local store's schema, in order. Append; never edit a migration that has shipped. */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'app metadata',
    up(db) {
      db.exec(`
        CREATE TABLE app_meta (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
        CREATE TABLE app_runs (
          id           INTEGER PRIMARY KEY,
          started_at   INTEGER NOT NULL,
          stopped_at   INTEGER,
          host         TEXT NOT NULL,
          version      TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
];

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to the newest migration. Each migration and its version bump run in
 * one transaction, so a failing migration leaves the database exactly as it was before it.
 */
export function runMigrations(db: Database, migrations: Migration[] = MIGRATIONS): number[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migrations must be numbered 1..n; found ${m.version} at ${i + 1}`);
  });
  const current = schemaVersion(db);
  if (current > sorted.length) {
    throw new Error(`database schema ${current} is newer than this app knows (${sorted.length})`);
  }
  const applied: number[] = [];
  for (const migration of sorted.slice(current)) {
    const apply = db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    });
    try {
      apply();
    } catch (error) {
      throw new MigrationError(migration.version, migration.name, error);
    }
    applied.push(migration.version);
  }
  return applied;
}
