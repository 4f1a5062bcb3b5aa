/**
 * Sizes and limits of local storage by category: messages (the local copy of server history),
 * media cache and recordings (files indexed in cache_entries). Past a limit the oldest entries
 * are evicted; pending or unsent data (outbox messages, pinned files) never is.
 */
import fs from 'node:fs';
import type { Database, Statement } from 'better-sqlite3';
import type { StorageCategory, StorageUsage } from '../../../src-shared/ipc/chat-types';
import type { StorageLimits } from '../../../src-shared/settings';

type FileCategory = Exclude<StorageCategory, 'messages'>;

const MIB = 1024 * 1024;
/** Tables whose pages make up "messages": rows, their indexes and the full-text index. */
const MESSAGE_TABLES = `name IN ('messages', 'outbox', 'messages_by_seq', 'messages_unsent',
  'messages_by_age', 'sqlite_autoindex_messages_1') OR name LIKE 'messages_fts%'`;

export interface EvictionReport {
  category: StorageCategory;
  entries: number;
  bytes: number;
}

export class StorageUsageService {
  private readonly stmt: Record<string, Statement>;

  constructor(
    private readonly db: Database,
    private readonly limits: () => StorageLimits,
  ) {
    const s = (sql: string) => db.prepare(sql);
    this.stmt = {
      messageBytes: s(
        `SELECT coalesce(sum(pgsize), 0) AS bytes FROM dbstat WHERE ${MESSAGE_TABLES}`,
      ),
      messageCounts: s(`
        SELECT count(*) AS entries,
          coalesce(sum(CASE WHEN seq IS NULL THEN length(CAST(body AS BLOB)) ELSE 0 END), 0) AS pinned
        FROM messages`),
      evictMessages: s(`
        DELETE FROM messages WHERE local_id IN (
          SELECT local_id FROM messages WHERE seq IS NOT NULL ORDER BY at LIMIT ?)`),
      clearMessages: s('DELETE FROM messages WHERE seq IS NOT NULL'),
      fileTotals: s(`
        SELECT count(*) AS entries, coalesce(sum(bytes), 0) AS bytes,
          coalesce(sum(CASE WHEN pinned THEN bytes ELSE 0 END), 0) AS pinned
        FROM cache_entries WHERE category = ?`),
      oldestUnpinned: s(`
        SELECT id, path, bytes FROM cache_entries
        WHERE category = ? AND pinned = 0 ORDER BY last_used_at, id LIMIT 100`),
      deleteEntry: s('DELETE FROM cache_entries WHERE id = ?'),
      addEntry: s(`
        INSERT INTO cache_entries (category, path, bytes, pinned, created_at, last_used_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(path) DO UPDATE SET bytes = excluded.bytes, pinned = excluded.pinned,
          last_used_at = excluded.last_used_at`),
      // Strictly after every other use, so that "most recently used" holds within a millisecond.
      touch: s(`
        UPDATE cache_entries
        SET last_used_at = max(?, (SELECT max(last_used_at) FROM cache_entries) + 1)
        WHERE path = ?`),
      pin: s('UPDATE cache_entries SET pinned = ? WHERE path = ?'),
      forget: s('DELETE FROM cache_entries WHERE path = ?'),
    };
  }

  usage(): StorageUsage {
    const limits = this.limits();
    const counts = this.stmt.messageCounts!.get() as { entries: number; pinned: number };
    const files = (category: FileCategory, limitMb: number) => {
      const t = this.stmt.fileTotals!.get(category) as {
        entries: number;
        bytes: number;
        pinned: number;
      };
      return {
        category,
        bytes: t.bytes,
        limitBytes: limitMb * MIB,
        entries: t.entries,
        pinnedBytes: t.pinned,
      };
    };
    return [
      {
        category: 'messages',
        bytes: this.messageBytes(),
        limitBytes: limits.messagesMb * MIB,
        entries: counts.entries,
        pinnedBytes: counts.pinned,
      },
      files('media', limits.mediaMb),
      files('recordings', limits.recordingsMb),
    ];
  }

  /** Records a file in a category (pinned: not yet sent or still being written). */
  addFile(category: FileCategory, file: string, pinned = false): void {
    const bytes = fs.statSync(file).size;
    const now = Date.now();
    this.stmt.addEntry!.run(category, file, bytes, pinned ? 1 : 0, now, now);
  }

  /** Marks a file as used now, so that it is evicted later than untouched ones. */
  touchFile(file: string): void {
    this.stmt.touch!.run(Date.now(), file);
  }

  /** Drops a file from the index (it was deleted or renamed by its owner). */
  forgetFile(file: string): void {
    this.stmt.forget!.run(file);
  }

  setPinned(file: string, pinned: boolean): void {
    this.stmt.pin!.run(pinned ? 1 : 0, file);
  }

  /** Evicts the oldest entries of every category that is over its limit. */
  enforceLimits(): EvictionReport[] {
    const limits = this.limits();
    const reports: EvictionReport[] = [];
    const messages = this.evictMessagesTo(limits.messagesMb * MIB);
    if (messages.entries) reports.push(messages);
    for (const [category, mb] of [
      ['media', limits.mediaMb],
      ['recordings', limits.recordingsMb],
    ] as const) {
      const report = this.evictFilesTo(category, mb * MIB);
      if (report.entries) reports.push(report);
    }
    return reports;
  }

  /** Empties a category, except what is pending or pinned. */
  clear(category: StorageCategory): EvictionReport {
    if (category === 'messages') {
      const before = this.messageBytes();
      const { changes } = this.stmt.clearMessages!.run();
      this.reclaim();
      return { category, entries: changes, bytes: Math.max(0, before - this.messageBytes()) };
    }
    return this.evictFilesTo(category, 0);
  }

  private messageBytes(): number {
    return (this.stmt.messageBytes!.get() as { bytes: number }).bytes;
  }

  private evictMessagesTo(limitBytes: number): EvictionReport {
    const report: EvictionReport = { category: 'messages', entries: 0, bytes: 0 };
    const start = this.messageBytes();
    // Pages only shrink once freed pages are reclaimed (a VACUUM, which rewrites the file), so
    // estimate the rows to drop from the average size per message and reclaim once per round;
    // a second round is only needed when the estimate fell short.
    for (let bytes = start; bytes > limitBytes;) {
      const { entries } = this.stmt.messageCounts!.get() as { entries: number };
      if (entries === 0) break;
      const rows = Math.ceil(((bytes - limitBytes) / (bytes / entries)) * 1.1) + 1;
      const { changes } = this.stmt.evictMessages!.run(rows);
      if (changes === 0) break;
      report.entries += changes;
      this.reclaim();
      bytes = this.messageBytes();
    }
    report.bytes = Math.max(0, start - this.messageBytes());
    return report;
  }

  private evictFilesTo(category: FileCategory, limitBytes: number): EvictionReport {
    const report: EvictionReport = { category, entries: 0, bytes: 0 };
    let total = (this.stmt.fileTotals!.get(category) as { bytes: number }).bytes;
    while (total > limitBytes) {
      const batch = this.stmt.oldestUnpinned!.all(category) as {
        id: number;
        path: string;
        bytes: number;
      }[];
      if (batch.length === 0) break;
      for (const entry of batch) {
        if (total <= limitBytes) break;
        fs.rmSync(entry.path, { force: true });
        this.stmt.deleteEntry!.run(entry.id);
        total -= entry.bytes;
        report.entries++;
        report.bytes += entry.bytes;
      }
    }
    return report;
  }

  /** Rebuilds the FTS index's merged segments and compacts free pages, so sizes reflect deletions. */
  private reclaim(): void {
    this.db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('optimize')");
    this.db.exec('VACUUM');
  }
}
