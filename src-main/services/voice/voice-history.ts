/**
 * The history of voice commands (what was heard after the wake phrase, the command, its outcome),
 * searchable and clearable, with a row limit so that it never grows without end.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { VoiceHistoryEntry, VoiceHistoryInput } from '../../../src-shared/ipc/voice-types';

export const MAX_VOICE_HISTORY = 10_000;

export class VoiceHistoryStore {
  private readonly insert: Statement;
  private readonly trim: Statement;
  private readonly latest: Statement;
  private readonly matching: Statement;

  constructor(
    private readonly db: Database,
    private readonly maxRows = MAX_VOICE_HISTORY,
  ) {
    this.insert = db.prepare(`
      INSERT INTO voice_history (at, language, text, command, category, confidence, outcome, detail)
      VALUES (@at, @language, @text, @command, @category, @confidence, @outcome, @detail)`);
    this.trim = db.prepare(`
      DELETE FROM voice_history WHERE id <= (
        SELECT id FROM voice_history ORDER BY id DESC LIMIT 1 OFFSET ?)`);
    const columns = 'id, at, language, text, command, category, confidence, outcome, detail';
    this.latest = db.prepare(`SELECT ${columns} FROM voice_history ORDER BY id DESC LIMIT ?`);
    this.matching = db.prepare(`
      SELECT ${columns} FROM voice_history
      WHERE text LIKE @pattern ESCAPE '\\' OR command LIKE @pattern ESCAPE '\\'
      ORDER BY id DESC LIMIT @limit`);
  }

  add(entry: VoiceHistoryInput): VoiceHistoryEntry {
    const id = this.db.transaction(() => {
      const { lastInsertRowid } = this.insert.run(entry);
      this.trim.run(this.maxRows);
      return Number(lastInsertRowid);
    })();
    return { ...entry, id };
  }

  /** Newest first; `query` matches anywhere in the heard text or the command id. */
  list(query = '', limit = 200): VoiceHistoryEntry[] {
    const trimmed = query.trim();
    if (!trimmed) return this.latest.all(limit) as VoiceHistoryEntry[];
    const pattern = `%${trimmed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.matching.all({ pattern, limit }) as VoiceHistoryEntry[];
  }

  clear(): number {
    return this.db.prepare('DELETE FROM voice_history').run().changes;
  }
}
