/**
 * The database check before anything opens the local store: quick_check, or a full
 * integrity_check when the last run did not stop cleanly. A damaged database is moved aside
 * (kept for inspection) and replaced by the newest backup that opens and checks; with none, the
 * app starts empty and the sync engine fetches everything again from the server.
 */
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import type { Logger } from '../../../src-shared/log';
import type { BackupInfo } from '../../../src-shared/ipc/operations-types';
import { openSealedBackup } from './backup-file';

export interface StartupCheck {
  outcome: 'new' | 'ok' | 'restored' | 'emptied';
  check: 'quick_check' | 'integrity_check' | null;
  /** What SQLite reported when the database was damaged. */
  problem: string | null;
  /** Where the damaged database was moved. */
  damagedCopy: string | null;
  restoredFrom: BackupInfo | null;
  /** Backups tried first that did not open or check. */
  skipped: Array<{ id: string; error: string }>;
  tookMs: number;
}

export interface StartupCheckOptions {
  file: string;
  /** Verified backups, newest first, and where each one's file is. */
  backups(): BackupInfo[];
  backupFile(id: string): string;
  /** The backup key, or null while the keystore is locked (no restore possible then). */
  backupKey(): Buffer | null;
  logger: Logger;
}

const SIDE_FILES = ['', '-wal', '-shm'];

/** Runs the check (and what follows a failure) and says what happened. */
export async function checkDatabaseAtStart(options: StartupCheckOptions): Promise<StartupCheck> {
  const started = Date.now();
  const { file, logger } = options;
  const result: StartupCheck = {
    outcome: 'ok',
    check: null,
    problem: null,
    damagedCopy: null,
    restoredFrom: null,
    skipped: [],
    tookMs: 0,
  };
  if (!fs.existsSync(file)) {
    result.outcome = 'new';
    return result;
  }
  const verdict = inspect(file);
  result.check = verdict.check;
  if (verdict.ok) {
    result.tookMs = Date.now() - started;
    return result;
  }
  result.problem = verdict.problem;
  logger.error('the local database is damaged', { problem: verdict.problem, check: verdict.check });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  result.damagedCopy = `${file}.damaged-${stamp}`;
  for (const suffix of SIDE_FILES)
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, result.damagedCopy + suffix);

  const key = options.backupKey();
  for (const backup of key ? options.backups() : []) {
    if (backup.state !== 'verified') continue;
    const temp = `${file}.restoring`;
    try {
      const { check } = await openSealedBackup(options.backupFile(backup.id), temp, key!, {
        check: 'quick',
      });
      if (!check!.ok) throw new Error(check!.result);
      settleRestoredCopy(temp, backup.createdAt);
      fs.renameSync(temp, file);
      result.outcome = 'restored';
      result.restoredFrom = backup;
      break;
    } catch (error) {
      for (const suffix of SIDE_FILES) fs.rmSync(temp + suffix, { force: true });
      result.skipped.push({ id: backup.id, error: (error as Error).message });
    }
  }
  if (result.outcome !== 'restored') result.outcome = 'emptied';
  result.tookMs = Date.now() - started;
  logger.warn('database recovered', { ...result });
  return result;
}

/**
 * Makes a restored copy ready to be the live file. The backup was taken while a run was going on,
 * so its last run has no stop: that run is closed at the backup's time (else every restore would
 * also report an unclean shutdown). The copy is then checkpointed and closed, so that no
 * `-wal`/`-shm` of the temporary name is left beside the database.
 */
function settleRestoredCopy(copy: string, backupTakenAt: number): void {
  const db = new BetterSqlite3(copy, { fileMustExist: true });
  try {
    const hasRuns = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'app_runs'")
      .get();
    if (hasRuns)
      db.prepare('UPDATE app_runs SET stopped_at = ? WHERE stopped_at IS NULL').run(backupTakenAt);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(copy + suffix, { force: true });
}

/** Opens the file and asks SQLite whether it is whole; any failure to even ask means no. */
function inspect(file: string): {
  ok: boolean;
  problem: string | null;
  check: StartupCheck['check'];
} {
  let db: BetterSqlite3.Database | null = null;
  let check: StartupCheck['check'] = 'quick_check';
  try {
    db = new BetterSqlite3(file, { fileMustExist: true });
    // A run without a recorded stop ended in a crash or kill: check every page and index.
    const hasRuns = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'app_runs'")
      .get();
    const last = hasRuns
      ? (db.prepare('SELECT stopped_at FROM app_runs ORDER BY id DESC LIMIT 1').get() as
          { stopped_at: number | null } | undefined)
      : undefined;
    if (last && last.stopped_at === null) check = 'integrity_check';
    const rows = db.pragma(`${check}(1)`) as Array<Record<string, unknown>>;
    const answer = String(Object.values(rows[0] ?? {})[0] ?? 'no answer');
    return { ok: answer === 'ok', problem: answer === 'ok' ? null : answer, check };
  } catch (error) {
    return { ok: false, problem: (error as Error).message, check };
  } finally {
    try {
      db?.close();
    } catch {
      // a damaged file may not even close cleanly; it is moved aside next
    }
  }
}
