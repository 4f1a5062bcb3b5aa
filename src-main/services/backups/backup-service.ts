/**
 * Backups of the local database: taken, compressed, sealed with the backup key and verified by
 * the backup worker (backup-file.ts) while the app keeps writing; listed, rotated (7 daily, 4
 * weekly by default), exported and restored here. Restore replaces the live database in place
 * with SQLite's backup API, with the current one kept aside until it worked.
 *
 * backups/<id>.tdbackup holds the data; backups/<id>.json what the list shows. A backup file
 * without its .json, or a .partial, was interrupted (a crash, a kill) and is removed at start.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import * as z from 'zod';
import type { Logger } from '../../../src-shared/log';
import {
  BackupInfo,
  type BackupOperation,
  type BackupsStatus,
} from '../../../src-shared/ipc/operations-types';
import type { LocalDatabase } from '../storage/database';
import { runMigrations } from '../storage/migrations';
import { openSealedBackup, takeSealedBackup, type DatabaseCheck } from './backup-file';
import { backupsToKeep, DEFAULT_ROTATION, type RotationPolicy } from './backup-rotation';
import { SealError } from '../keystore/sealed-box';

const EXTENSION = '.tdbackup';
const Sidecar = BackupInfo.omit({ state: true }).extend({
  verified: z.boolean(),
  keyId: z.string(),
});
type Sidecar = z.infer<typeof Sidecar>;

export interface BackupServiceOptions {
  dir: string;
  /** The live database (opened after the start-up check, which may restore a backup first). */
  database: () => LocalDatabase;
  /** The backup key from the keystore (created on first use); throws while it is locked. */
  backupKey(): Buffer;
  logger: Logger;
  rotation?: () => RotationPolicy;
}

/** Whether a file name is one of ours (ids are timestamps, never paths). */
const ID_PATTERN = /^[0-9A-Za-z-]{1,64}$/;

export class BackupService {
  private readonly dir: string;
  private running: BackupOperation | null = null;
  private lastError: string | null = null;
  private readonly listeners = new Set<(status: BackupsStatus) => void>();
  private readonly restoredListeners = new Set<() => void>();

  constructor(private readonly options: BackupServiceOptions) {
    this.dir = options.dir;
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** Removes what an interrupted backup or restore left; returns the names removed. */
  discardPartial(): string[] {
    const names = fs.readdirSync(this.dir);
    const removed: string[] = [];
    for (const name of names) {
      const id = name.endsWith(EXTENSION) ? name.slice(0, -EXTENSION.length) : null;
      const orphan = id !== null && !names.includes(`${id}.json`);
      if (name.endsWith('.partial') || name.startsWith('.work-') || orphan) {
        fs.rmSync(path.join(this.dir, name), { force: true, recursive: true });
        removed.push(name);
      }
    }
    if (removed.length) this.options.logger.warn('discarded unfinished backups', { removed });
    return removed;
  }

  list(): BackupInfo[] {
    const keyId = this.currentKeyId();
    const list: BackupInfo[] = [];
    for (const name of fs.readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue;
      const sidecar = this.readSidecar(name.slice(0, -5));
      if (!sidecar) continue;
      const { verified, keyId: backupKeyId, ...info } = sidecar;
      const state = !verified
        ? 'failed'
        : keyId !== null && backupKeyId !== keyId
          ? 'unreadable'
          : 'verified';
      list.push({ ...info, state });
    }
    return list.sort((a, b) => b.createdAt - a.createdAt);
  }

  /** The newest backup that was verified and opens with today's key. */
  newestVerified(): BackupInfo | null {
    return this.list().find((b) => b.state === 'verified') ?? null;
  }

  status(): BackupsStatus {
    return {
      backups: this.list(),
      running: this.running,
      lastError: this.lastError,
      dir: this.dir,
    };
  }

  onChange(listener: (status: BackupsStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after a restore replaced the live database (caches and sync must start over). */
  onRestored(listener: () => void): () => void {
    this.restoredListeners.add(listener);
    return () => this.restoredListeners.delete(listener);
  }

  fileOf(id: string): string {
    if (!ID_PATTERN.test(id)) throw new Error('not a backup id');
    return path.join(this.dir, `${id}${EXTENSION}`);
  }

  /** Takes, seals, verifies and rotates one backup. One operation runs at a time. */
  async backUp(reason: BackupInfo['reason']): Promise<BackupInfo> {
    return this.exclusive('backup', async () => {
      const key = this.options.backupKey();
      const createdAt = Date.now();
      const stamp = new Date(createdAt).toISOString().replace(/[:.]/g, '-');
      const id = `${stamp}-${crypto.randomBytes(2).toString('hex')}`;
      const work = path.join(this.dir, `.work-${id}.db`);
      const verifyFile = path.join(this.dir, `.work-verify-${id}.db`);
      try {
        const taken = await takeSealedBackup(
          { source: this.options.database().path, work, target: this.fileOf(id), verifyFile },
          key,
          (phase, fraction) => this.progress(phase, fraction),
        );
        const { check } = taken;
        this.writeSidecar({
          id,
          createdAt,
          reason,
          bytes: taken.bytes,
          databaseBytes: taken.databaseBytes,
          messages: check.messages,
          schemaVersion: check.schemaVersion,
          verified: check.ok,
          verifiedAt: check.ok ? Date.now() : null,
          error: check.ok ? null : check.result,
          keyId: keyIdOf(key),
        });
        if (!check.ok) throw new Error(`the new backup did not verify: ${check.result}`);
        this.rotate();
        this.options.logger.info('backup taken', { id, reason, bytes: taken.bytes });
        return this.list().find((b) => b.id === id)!;
      } finally {
        fs.rmSync(work, { force: true });
        fs.rmSync(verifyFile, { force: true });
      }
    });
  }

  /** Opens a sealed file into a temporary database and integrity-checks it. */
  private async verifyFile(file: string, key: Buffer): Promise<DatabaseCheck> {
    const plain = path.join(this.dir, `.work-verify-${crypto.randomBytes(4).toString('hex')}.db`);
    try {
      const { check } = await openSealedBackup(file, plain, key, {
        check: 'full',
        onProgress: (_phase, fraction) => this.progress('verifying', fraction),
      });
      return check!;
    } catch (error) {
      return { ok: false, result: (error as Error).message, schemaVersion: 0, messages: null };
    } finally {
      fs.rmSync(plain, { force: true });
    }
  }

  /** Verifies one backup again (it may have been damaged on disk since). */
  async verify(id: string): Promise<BackupInfo> {
    return this.exclusive('backup', async () => {
      const sidecar = this.readSidecar(id);
      if (!sidecar) throw new Error('no such backup');
      const key = this.options.backupKey();
      const check = await this.verifyFile(this.fileOf(id), key);
      this.writeSidecar({
        ...sidecar,
        verified: check.ok,
        verifiedAt: check.ok ? Date.now() : sidecar.verifiedAt,
        error: check.ok ? null : check.result,
      });
      return this.list().find((b) => b.id === id)!;
    });
  }

  /** Copies a sealed backup to a file of the user's choice (still sealed with the backup key). */
  /**
   * Copies a backup to `destination`. An existing file there is replaced only with `overwrite`
   * (the user confirmed that file); otherwise the copy is linked into place, which fails, without
   * touching anything, when a file of that name exists.
   */
  async exportTo(id: string, destination: string, overwrite = false): Promise<string> {
    return this.exclusive('export', async () => {
      if (!this.readSidecar(id)) throw new Error('no such backup');
      if (!overwrite && fs.existsSync(destination)) throw new ExportTargetExistsError(destination);
      this.progress('copying', 0);
      const temp = `${destination}.${process.pid}.partial`;
      await fs.promises.copyFile(this.fileOf(id), temp, fs.constants.COPYFILE_EXCL);
      try {
        if (overwrite) await fs.promises.rename(temp, destination);
        else
          await fs.promises.link(temp, destination).catch((error: NodeJS.ErrnoException) => {
            throw error.code === 'EEXIST' ? new ExportTargetExistsError(destination) : error;
          });
      } finally {
        await fs.promises.rm(temp, { force: true });
      }
      return destination;
    });
  }

  /**
   * Replaces the live database with a backup (ours by id, or a sealed file from elsewhere). The
   * current database is copied aside first and copied back if anything fails.
   */
  async restore(source: { id: string } | { file: string }): Promise<void> {
    await this.exclusive('restore', async () => {
      const key = this.options.backupKey();
      const file = 'id' in source ? this.fileOf(source.id) : source.file;
      const { logger } = this.options;
      const database = this.options.database();
      const plain = path.join(this.dir, `.work-restore-${Date.now()}.db`);
      const aside = `${database.path}.before-restore`;
      try {
        // quick_check is enough here: the seal authenticates every byte, and what it sealed
        // passed integrity_check when it was written (a foreign file must open with our key).
        const { check } = await openSealedBackup(file, plain, key, {
          check: 'quick',
          onProgress: (phase, fraction) => this.progress(phase, fraction),
        });
        if (!check!.ok) throw new Error(`the backup is damaged: ${check!.result}`);
        this.progress('replacing', 0);
        await copyDatabaseInto(database.path, aside, (f) => this.progress('replacing', f / 2));
        try {
          await copyDatabaseInto(plain, database.path, (f) =>
            this.progress('replacing', 0.5 + f / 2),
          );
          runMigrations(database.db);
        } catch (error) {
          logger.error('restore failed; putting the previous database back', { error });
          await copyDatabaseInto(aside, database.path, () => {});
          throw error;
        }
        fs.rmSync(aside, { force: true });
        logger.info('database restored', { from: path.basename(file) });
      } catch (error) {
        if (error instanceof SealError)
          throw new Error('this backup does not open with this installation’s backup key', {
            cause: error,
          });
        throw error;
      } finally {
        fs.rmSync(plain, { force: true });
      }
    });
    for (const listener of this.restoredListeners) listener();
  }

  /** Deletes backups outside the rotation policy, and failed ones older than a day. */
  rotate(): string[] {
    const list = this.list();
    const keep = backupsToKeep(
      list.filter((b) => b.state !== 'failed'),
      this.options.rotation?.() ?? DEFAULT_ROTATION,
    );
    const removed: string[] = [];
    for (const backup of list) {
      const staleFailure = backup.state === 'failed' && Date.now() - backup.createdAt > 86_400_000;
      if (keep.has(backup.id) || (backup.state === 'failed' && !staleFailure)) continue;
      this.remove(backup.id);
      removed.push(backup.id);
    }
    if (removed.length) this.emit();
    return removed;
  }

  remove(id: string): void {
    fs.rmSync(this.fileOf(id), { force: true });
    fs.rmSync(path.join(this.dir, `${id}.json`), { force: true });
  }

  /** Resolves when no backup, restore or export is running (before the database closes). */
  async settled(): Promise<void> {
    while (this.current) await this.current.catch(() => {});
  }

  private current: Promise<unknown> | null = null;

  private exclusive<T>(kind: BackupOperation['kind'], work: () => Promise<T>): Promise<T> {
    if (this.running) return Promise.reject(new BackupBusyError(this.running.kind));
    this.running = { kind, phase: 'copying', fraction: 0, startedAt: Date.now() };
    this.emit();
    const run = this.run(kind, work);
    this.current = run;
    void run
      .catch(() => {})
      .finally(() => {
        if (this.current === run) this.current = null;
      });
    return run;
  }

  private async run<T>(kind: BackupOperation['kind'], work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.lastError = null;
      return result;
    } catch (error) {
      this.lastError = (error as Error).message;
      this.options.logger.error(`${kind} failed`, { error });
      throw error;
    } finally {
      this.running = null;
      this.emit();
    }
  }

  private lastEmit = 0;
  private progress(phase: BackupOperation['phase'], fraction: number): void {
    if (!this.running) return;
    const phaseChanged = this.running.phase !== phase;
    this.running = { ...this.running, phase, fraction: Math.min(1, Math.max(0, fraction)) };
    // A progress bar needs a few updates a second, not one per page.
    if (phaseChanged || Date.now() - this.lastEmit > 200) this.emit();
  }

  private emit(): void {
    this.lastEmit = Date.now();
    if (!this.listeners.size) return;
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }

  private currentKeyId(): string | null {
    try {
      return keyIdOf(this.options.backupKey());
    } catch {
      return null; // locked: the list still shows what is there
    }
  }

  private readSidecar(id: string): Sidecar | null {
    if (!ID_PATTERN.test(id)) return null;
    try {
      const parsed = Sidecar.safeParse(
        JSON.parse(fs.readFileSync(path.join(this.dir, `${id}.json`), 'utf8')),
      );
      return parsed.success && fs.existsSync(this.fileOf(id)) ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private writeSidecar(sidecar: Sidecar): void {
    const file = path.join(this.dir, `${sidecar.id}.json`);
    fs.writeFileSync(`${file}.partial`, JSON.stringify(sidecar), { mode: 0o600 });
    fs.renameSync(`${file}.partial`, file);
  }
}

/** An export would replace a file the user did not confirm replacing. */
export class ExportTargetExistsError extends Error {
  constructor(readonly file: string) {
    super(`${file} exists already: choose another name, or confirm replacing that file`);
    this.name = 'ExportTargetExistsError';
  }
}

export class BackupBusyError extends Error {
  constructor(readonly kind: BackupOperation['kind']) {
    super(`a ${kind} is already running`);
    this.name = 'BackupBusyError';
  }
}

/** Short, non-secret identifier of a key: tells which backups a key can open. */
function keyIdOf(key: Buffer): string {
  return crypto.createHash('sha256').update('beseda-key-id').update(key).digest('hex').slice(0, 16);
}

/**
 * Copies a database file into another one (the live one: SQLite's backup API writes it under its
 * locks, and the app's connection sees the new content at its next read). 64 MB per step: a
 * restore replaces everything anyway, so it goes fast rather than politely.
 */
async function copyDatabaseInto(
  source: string,
  destination: string,
  onProgress: (fraction: number) => void,
): Promise<void> {
  const db = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(destination, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress(totalPages ? 1 - remainingPages / totalPages : 1);
        return 16_384;
      },
    });
  } finally {
    db.close();
  }
}
