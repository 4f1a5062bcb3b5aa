import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { runMigrations, schemaVersion, type Migration, MIGRATIONS } from './migrations';

export interface LocalDatabase {
  readonly db: Database;
  readonly path: string;
  schemaVersion(): number;
  /** Bytes of the main file and of the write-ahead log. */
  sizes(): { fileBytes: number; walBytes: number };
  close(): void;
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Opens (creating if needed) the local store: WAL, foreign keys on, migrated to the newest schema. */
export function openLocalDatabase(
  file: string,
  migrations: Migration[] = MIGRATIONS,
): LocalDatabase {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    runMigrations(db, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    db,
    path: file,
    schemaVersion: () => schemaVersion(db),
    sizes: () => ({ fileBytes: fileSize(file), walBytes: fileSize(`${file}-wal`) }),
    close: () => {
      if (db.open) db.close();
    },
  };
}
