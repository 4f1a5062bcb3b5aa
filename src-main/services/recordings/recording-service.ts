/**
 * Call recordings: chunks from the renderer's MediaRecorder are written to disk as they arrive
 * (never collected in memory), finished into a seekable WebM, and described in SQLite (room,
 * participants with join/leave times, start, end, duration, codecs, size). A recording left
 * unfinished by a crash is finished at the next start from its part file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import { ApiError } from '../../../src-shared/ipc/api-error';
import type { Recording, RecordingParticipant } from '../../../src-shared/ipc/call-types';
import type { Logger } from '../../../src-shared/log';
import type { StorageUsageService } from '../storage/storage-usage';
import { WebmFileWriter } from './webm-file-writer';

/** The app-relative address recordings are played from (both hosts serve it). */
export const RECORDINGS_URL_PREFIX = '/recordings/';

/** The file a recordings URL path names, if it is a finished recording still on disk. */
export function recordingFileFor(recordings: RecordingService, urlPath: string): string | null {
  const match = /^\/recordings\/(rec_[0-9a-f]{24})\.webm$/.exec(urlPath);
  return match ? recordings.fileFor(match[1]!) : null;
}

interface Row {
  id: string;
  call_id: string;
  room_id: string;
  room_name: string;
  path: string;
  state: Recording['state'];
  mime_type: string;
  video_codec: string | null;
  audio_codec: string | null;
  started_at: number;
  ended_at: number | null;
  duration_ms: number | null;
  size_bytes: number;
  participants: string;
  error: string | null;
}

/** How long a deleted recording can be brought back (the app's Undo) before its file is gone. */
export const RECORDING_UNDO_MS = 60_000;

interface OpenRecording {
  writer: WebmFileWriter;
  nextSeq: number;
}

export class RecordingService {
  private readonly stmt: Record<string, Statement>;
  private readonly open = new Map<string, OpenRecording>();
  private readonly listeners = new Set<(list: Recording[]) => void>();
  /** Deleted recordings that Undo can still bring back: their rows, their files in `trashDir`. */
  private readonly trashed = new Map<string, { row: Row; timer: NodeJS.Timeout }>();
  private readonly trashDir: string;

  constructor(
    private readonly db: Database,
    private readonly dir: string,
    private readonly storage: StorageUsageService,
    private readonly roomName: (roomId: string) => string,
    private readonly logger: Logger,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    // What a previous run deleted could only be undone in that run.
    this.trashDir = path.join(dir, '.deleted');
    fs.rmSync(this.trashDir, { recursive: true, force: true });
    const s = (sql: string) => db.prepare(sql);
    this.stmt = {
      insert:
        s(`INSERT INTO recordings (id, call_id, room_id, room_name, path, state, mime_type, started_at)
                 VALUES (?, ?, ?, ?, ?, 'recording', ?, ?)`),
      finish:
        s(`UPDATE recordings SET state = 'ready', ended_at = ?, duration_ms = ?, size_bytes = ?,
                   video_codec = ?, audio_codec = ?, participants = ? WHERE id = ?`),
      fail: s(`UPDATE recordings SET state = 'failed', ended_at = ?, error = ? WHERE id = ?`),
      size: s('UPDATE recordings SET size_bytes = ? WHERE id = ?'),
      byId: s('SELECT * FROM recordings WHERE id = ?'),
      all: s('SELECT * FROM recordings ORDER BY started_at DESC'),
      unfinished: s(`SELECT * FROM recordings WHERE state = 'recording'`),
      delete: s('DELETE FROM recordings WHERE id = ?'),
      restore: s(`INSERT INTO recordings (id, call_id, room_id, room_name, path, state, mime_type,
                   video_codec, audio_codec, started_at, ended_at, duration_ms, size_bytes,
                   participants, error)
                 VALUES (@id, @call_id, @room_id, @room_name, @path, @state, @mime_type,
                   @video_codec, @audio_codec, @started_at, @ended_at, @duration_ms, @size_bytes,
                   @participants, @error)`),
    };
  }

  onChange(listener: (list: Recording[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(callId: string, roomId: string, mimeType: string, now = Date.now()): Recording {
    const id = `rec_${crypto.randomBytes(12).toString('hex')}`;
    const file = path.join(this.dir, `${id}.webm`);
    const writer = new WebmFileWriter(`${file}.part`);
    this.stmt.insert!.run(id, callId, roomId, this.roomName(roomId), file, mimeType, now);
    this.open.set(id, { writer, nextSeq: 0 });
    this.storage.addFile('recordings', `${file}.part`, true);
    this.logger.info('recording started', { id, callId });
    this.changed();
    return this.get(id);
  }

  /** Appends chunk `seq`; a chunk sent again (same seq) is ignored, a gap is refused. */
  chunk(recordingId: string, seq: number, data: Buffer): { bytes: number } {
    const open = this.open.get(recordingId);
    if (!open) throw new ApiError('not_found', 'That recording is not running.');
    if (seq < open.nextSeq) return { bytes: open.writer.size };
    if (seq > open.nextSeq)
      throw new ApiError('conflict', `expected chunk ${open.nextSeq}, got ${seq}`);
    open.writer.append(data);
    open.nextSeq++;
    this.stmt.size!.run(open.writer.size, recordingId);
    return { bytes: open.writer.size };
  }

  /** Finishes the file (seekable, with its duration) and stores the metadata. */
  async stop(
    recordingId: string,
    participants: RecordingParticipant[],
    now = Date.now(),
  ): Promise<Recording> {
    const open = this.open.get(recordingId);
    if (!open) throw new ApiError('not_found', 'That recording is not running.');
    this.open.delete(recordingId);
    const row = this.row(recordingId);
    await this.finishFile(row, open.writer, participants, now);
    this.changed();
    return this.get(recordingId);
  }

  list(): Recording[] {
    return (this.stmt.all!.all() as Row[])
      .filter((row) => row.state !== 'ready' || fs.existsSync(row.path) || this.forget(row))
      .map((row) => this.toRecording(row));
  }

  get(recordingId: string): Recording {
    return this.toRecording(this.row(recordingId));
  }

  /** The file behind a recording's URL, if it is finished and still on disk. */
  fileFor(recordingId: string): string | null {
    const row = this.stmt.byId!.get(recordingId) as Row | undefined;
    return row && row.state === 'ready' && fs.existsSync(row.path) ? row.path : null;
  }

  /**
   * Deletes a recording: it leaves the list and the storage count at once; its file waits out of
   * sight for RECORDING_UNDO_MS so that `undoDelete` can bring it back, then is removed.
   */
  delete(recordingId: string): void {
    const row = this.row(recordingId);
    if (this.open.has(recordingId)) throw new ApiError('conflict', 'Stop the recording first.');
    this.trash(row);
    this.changed();
  }

  /** Deletes every recording that is not running (Settings > Storage > Clear); answers their ids. */
  deleteAll(): string[] {
    const rows = (this.stmt.all!.all() as Row[]).filter((row) => !this.open.has(row.id));
    for (const row of rows) this.trash(row);
    if (rows.length) this.changed();
    return rows.map((row) => row.id);
  }

  /** Brings back recordings deleted less than RECORDING_UNDO_MS ago; answers how many came back. */
  undoDelete(recordingIds: readonly string[]): number {
    let restored = 0;
    for (const id of recordingIds) {
      const entry = this.trashed.get(id);
      if (!entry) continue;
      clearTimeout(entry.timer);
      this.trashed.delete(id);
      const { row } = entry;
      const kept = this.trashFile(row);
      if (fs.existsSync(kept)) {
        fs.renameSync(kept, row.path);
        this.storage.addFile('recordings', row.path, false);
      }
      this.stmt.restore!.run(row);
      restored++;
    }
    if (restored) this.changed();
    return restored;
  }

  /** Removes the files of deleted recordings now (the app is quitting; Undo ends with it). */
  purgeDeleted(): void {
    for (const [id, entry] of this.trashed) this.purge(id, entry.row);
  }

  private trash(row: Row): void {
    if (fs.existsSync(row.path)) {
      fs.mkdirSync(this.trashDir, { recursive: true });
      fs.renameSync(row.path, this.trashFile(row));
    }
    fs.rmSync(`${row.path}.part`, { force: true });
    this.storage.forgetFile(row.path);
    this.stmt.delete!.run(row.id);
    const timer = setTimeout(() => this.purge(row.id, row), RECORDING_UNDO_MS);
    timer.unref();
    this.trashed.set(row.id, { row, timer });
  }

  private purge(id: string, row: Row): void {
    clearTimeout(this.trashed.get(id)?.timer);
    this.trashed.delete(id);
    fs.rmSync(this.trashFile(row), { force: true });
  }

  private trashFile(row: Row): string {
    return path.join(this.trashDir, path.basename(row.path));
  }

  /** Finishes recordings a crash left in the middle, from what reached the disk. */
  async recoverUnfinished(): Promise<number> {
    let recovered = 0;
    for (const row of this.stmt.unfinished!.all() as Row[]) {
      if (this.open.has(row.id)) continue;
      const part = `${row.path}.part`;
      if (!fs.existsSync(part)) {
        this.stmt.fail!.run(Date.now(), 'the app stopped before anything was written', row.id);
        continue;
      }
      try {
        const writer = await WebmFileWriter.resume(part);
        await this.finishFile(row, writer, JSON.parse(row.participants), Date.now());
        recovered++;
      } catch (error) {
        this.stmt.fail!.run(Date.now(), (error as Error).message, row.id);
      }
    }
    if (recovered) this.changed();
    return recovered;
  }

  /** Stops every running recording (the app is quitting). */
  async stopAll(): Promise<void> {
    for (const id of [...this.open.keys()]) {
      const row = this.row(id);
      await this.stop(id, JSON.parse(row.participants)).catch((error: unknown) =>
        this.logger.warn('could not finish a recording at quit', { id, error }),
      );
    }
  }

  private async finishFile(
    row: Row,
    writer: WebmFileWriter,
    participants: RecordingParticipant[],
    now: number,
  ): Promise<void> {
    try {
      const done = await writer.finish(row.path);
      this.stmt.finish!.run(
        now,
        done.durationMs,
        done.sizeBytes,
        done.videoCodec,
        done.audioCodec,
        JSON.stringify(participants),
        row.id,
      );
      this.storage.forgetFile(`${row.path}.part`);
      this.storage.addFile('recordings', row.path, false);
      this.logger.info('recording finished', { id: row.id, durationMs: done.durationMs });
    } catch (error) {
      writer.discard();
      this.storage.forgetFile(`${row.path}.part`);
      this.stmt.fail!.run(now, (error as Error).message, row.id);
      this.logger.error('recording could not be finished', { id: row.id, error });
    }
  }

  private forget(row: Row): false {
    this.stmt.delete!.run(row.id); // evicted by the storage limit or removed by hand
    return false;
  }

  private row(recordingId: string): Row {
    const row = this.stmt.byId!.get(recordingId) as Row | undefined;
    if (!row) throw new ApiError('not_found', 'No such recording.');
    return row;
  }

  private toRecording(row: Row): Recording {
    return {
      id: row.id,
      callId: row.call_id,
      roomId: row.room_id,
      roomName: row.room_name,
      state: row.state,
      mimeType: row.mime_type,
      videoCodec: row.video_codec,
      audioCodec: row.audio_codec,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      durationMs: row.duration_ms,
      sizeBytes: row.size_bytes,
      participants: JSON.parse(row.participants) as RecordingParticipant[],
      path: row.path,
      url: `${RECORDINGS_URL_PREFIX}${row.id}.webm`,
      error: row.error,
    };
  }

  private changed(): void {
    const list = this.list();
    for (const listener of this.listeners) listener(list);
  }
}
