/**
 * Files of messages on this computer: what the user attaches is staged here (the renderer sends
 * the bytes in pieces, so both hosts work alike), prepared (images cleaned, thumbnails made),
 * kept by hash in the media folder, uploaded before its message joins the outbox, and what
 * others sent is downloaded into the same folder, the media cache, whose size Settings limit.
 * Files waiting to be sent are pinned there: eviction never takes them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {
  FileProgress,
  LocalMessage,
  StageStartInput,
} from '../../../src-shared/ipc/chat-types';
import type { Logger } from '../../../src-shared/log';
import type { WireFile } from '../../../src-shared/protocol/entities';
import { ApiError } from '../../../src-shared/ipc/api-error';
import { INLINE_IMAGE_TYPES } from '../../../src-shared/protocol/limits';
import type { MessageStore } from '../storage/message-store';
import type { StorageUsageService } from '../storage/storage-usage';
import { prepareFile, sha256OfFile, type PreparedBlob } from './prepare-file';
import {
  downloadBlob,
  TransferCancelled,
  TransferError,
  uploadBlob,
  type HttpAccess,
} from './transfers';

/** Calls `report` at most every 100 ms (and always for the last call), for progress events. */
function throttled(report: (done: number) => void): (done: number, last: boolean) => void {
  let at = 0;
  return (done, last) => {
    const now = Date.now();
    if (!last && now - at < 100) return;
    at = now;
    report(done);
  };
}

/** A staged file nobody sent is removed after this long. */
const STAGE_TTL_MS = 60 * 60 * 1000;

export interface MediaServiceDeps {
  dataDir: string;
  store: MessageStore;
  storage: StorageUsageService;
  /** How to reach the server now; null while not signed in. */
  access(): HttpAccess | null;
  /** A message changed (its files uploaded, its upload refused). */
  changed(message: LocalMessage): void;
  /** A message left the upload queue for the outbox. */
  released(): void;
  progress(progress: FileProgress): void;
  /** The media cache grew: enforce its limit. */
  grew(): void;
  logger: Logger;
}

interface Staged {
  file: string;
  name: string;
  size: number;
  written: number;
  at: number;
  /** Hashed as the pieces arrive, so that sending need not read the file again. */
  hash: crypto.Hash;
}

export class MediaService {
  private readonly dir: string;
  private readonly staging: string;
  private readonly partial: string;
  private readonly staged = new Map<string, Staged>();
  private uploading: { clientId: string; abort: AbortController } | null = null;
  private pumping = false;
  private readonly downloads = new Map<string, Promise<void>>();
  private readonly downloadAborts = new Map<string, AbortController>();
  /** Bytes sent and fetched by this run (resumed transfers send only the rest). */
  readonly counters = { bytesUploaded: 0, bytesDownloaded: 0 };

  constructor(private readonly deps: MediaServiceDeps) {
    this.dir = path.join(deps.dataDir, 'media');
    this.staging = path.join(this.dir, 'staging');
    this.partial = path.join(this.dir, 'partial');
    // Staged files of an earlier run were never sent (their messages do not exist).
    fs.rmSync(this.staging, { recursive: true, force: true });
    fs.mkdirSync(this.staging, { recursive: true });
    fs.mkdirSync(this.partial, { recursive: true });
    deps.store.hasMedia = (sha) => fs.existsSync(this.blobPath(sha));
  }

  blobPath(sha256: string): string {
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.blobPath(sha256));
  }

  // ---- attaching ----

  stageStart({ name, size }: StageStartInput): { stageId: string } {
    this.sweepStaged();
    const stageId = `stg_${crypto.randomBytes(12).toString('hex')}`;
    const file = path.join(this.staging, stageId);
    fs.writeFileSync(file, '');
    this.staged.set(stageId, {
      file,
      name,
      size,
      written: 0,
      at: Date.now(),
      hash: crypto.createHash('sha256'),
    });
    return { stageId };
  }

  stageChunk(stageId: string, offset: number, bytes: Buffer): { bytes: number } {
    const staged = this.staged.get(stageId);
    if (!staged) throw new ApiError('not_found', 'That attachment is gone; attach the file again.');
    if (offset !== staged.written)
      throw new ApiError('invalid_input', `expected the piece at ${staged.written}`);
    if (staged.written + bytes.length > staged.size)
      throw new ApiError('invalid_input', 'more bytes than the file has');
    fs.appendFileSync(staged.file, bytes);
    staged.hash.update(bytes);
    staged.written += bytes.length;
    return { bytes: staged.written };
  }

  stageCancel(stageId: string): null {
    const staged = this.staged.get(stageId);
    if (staged) fs.rmSync(staged.file, { force: true });
    this.staged.delete(stageId);
    return null;
  }

  /**
   * Sends staged files as one message (with `body` as its words): prepared and stored here at
   * once, so it shows (and survives a restart) while the upload runs; sent when that is done.
   */
  async send(
    roomId: string,
    stageIds: string[],
    body: string,
    replyTo?: string,
  ): Promise<LocalMessage> {
    const files: WireFile[] = [];
    for (const stageId of stageIds) {
      const staged = this.staged.get(stageId);
      if (!staged || staged.written !== staged.size)
        throw new ApiError(
          'invalid_input',
          'That attachment did not arrive whole; attach it again.',
        );
    }
    for (const stageId of stageIds) {
      const staged = this.staged.get(stageId)!;
      this.staged.delete(stageId);
      const prepared = await prepareFile(staged.file, staged.name, staged.hash.digest('hex'));
      const main = this.keep(prepared.main, true);
      const thumb = prepared.thumb ? this.keep(prepared.thumb, true) : undefined;
      files.push({
        sha256: main.sha256,
        name: prepared.name,
        size: main.size,
        mime: prepared.mime,
        ...(prepared.width ? { width: prepared.width, height: prepared.height } : {}),
        ...(thumb ? { thumb: thumb.sha256 } : {}),
      });
    }
    const message = this.deps.store.addPending(roomId, body, undefined, { files, replyTo });
    void this.pump();
    return message;
  }

  /** Moves a prepared blob into the media folder (by hash) and indexes it. */
  private keep(blob: PreparedBlob, pinned: boolean): PreparedBlob {
    const target = this.blobPath(blob.sha256);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (fs.existsSync(target)) fs.rmSync(blob.file, { force: true });
    else fs.renameSync(blob.file, target);
    this.deps.storage.addFile('media', target, pinned);
    return { ...blob, file: target };
  }

  private sweepStaged(): void {
    const now = Date.now();
    for (const [id, staged] of this.staged)
      if (now - staged.at > STAGE_TTL_MS) this.stageCancel(id);
  }

  // ---- uploading ----

  /** Uploads the files of waiting messages, oldest first, one at a time; safe to call often. */
  async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const access = this.deps.access();
        if (!access) return;
        const next = this.deps.store.heldUploads()[0];
        if (!next) return;
        const ok = await this.uploadMessage(access, next);
        if (!ok) return;
      }
    } finally {
      this.pumping = false;
    }
  }

  private async uploadMessage(
    access: HttpAccess,
    held: { localId: number; roomId: string; clientId: string; files: WireFile[] },
  ): Promise<boolean> {
    const abort = new AbortController();
    this.uploading = { clientId: held.clientId, abort };
    const blobs = held.files.flatMap((f) => [
      ...(f.thumb ? [{ sha256: f.thumb, size: fs.statSync(this.blobPath(f.thumb)).size }] : []),
      { sha256: f.sha256, size: f.size },
    ]);
    const total = blobs.reduce((sum, b) => sum + b.size, 0);
    let before = 0;
    try {
      for (const blob of blobs) {
        const file = this.blobPath(blob.sha256);
        if (!fs.existsSync(file))
          throw new TransferError('gone', 'The file is no longer on this computer.');
        await uploadBlob(
          access,
          { ...blob, file },
          held.roomId,
          (done) =>
            this.deps.progress({
              clientId: held.clientId,
              direction: 'up',
              done: before + done,
              total,
            }),
          abort.signal,
          (bytes) => (this.counters.bytesUploaded += bytes),
        );
        before += blob.size;
      }
      for (const blob of blobs) this.deps.storage.setPinned(this.blobPath(blob.sha256), false);
      this.deps.store.releaseUpload(held.localId);
      this.deps.released();
      return true;
    } catch (error) {
      if (error instanceof TransferCancelled) {
        this.fail(held.clientId, 'You cancelled the upload. Retry sends it.');
        return true;
      }
      if (error instanceof TransferError && (error.code === 'offline' || error.status >= 500)) {
        this.deps.logger.info('upload paused', { error: error.message });
        return false; // the next session goes on from where the server is
      }
      this.fail(held.clientId, error instanceof Error ? error.message : String(error));
      return true;
    } finally {
      this.uploading = null;
    }
  }

  private fail(clientId: string, reason: string): void {
    const failed = this.deps.store.markFailed(clientId, reason);
    if (failed) this.deps.changed(failed);
  }

  /** Stops a message's upload; the message stays, failed, with Retry. */
  cancelUpload(clientId: string): boolean {
    if (this.uploading?.clientId === clientId) {
      this.uploading.abort.abort();
      return true;
    }
    const held = this.deps.store.heldUploads().find((h) => h.clientId === clientId);
    if (!held) return false;
    this.fail(clientId, 'You cancelled the upload. Retry sends it.');
    return true;
  }

  // ---- downloading ----

  /** Fetches a room's blob into the media cache (once, however often asked); resolves when here. */
  fetch(roomId: string, sha256: string): Promise<void> {
    if (this.has(sha256)) {
      this.deps.storage.touchFile(this.blobPath(sha256));
      return Promise.resolve();
    }
    if (!this.deps.store.roomHasFile(roomId, sha256))
      return Promise.reject(new ApiError('not_found', 'No such file in this room.'));
    const running = this.downloads.get(sha256);
    if (running) return running;
    const done = this.download(roomId, sha256).finally(() => {
      this.downloads.delete(sha256);
      this.downloadAborts.delete(sha256);
    });
    this.downloads.set(sha256, done);
    return done;
  }

  cancelDownload(sha256: string): boolean {
    const abort = this.downloadAborts.get(sha256);
    abort?.abort();
    return Boolean(abort);
  }

  private async download(roomId: string, sha256: string): Promise<void> {
    const access = this.deps.access();
    if (!access)
      throw new ApiError('offline', 'The file is on the server; it downloads when you are online.');
    const abort = new AbortController();
    this.downloadAborts.set(sha256, abort);
    const partial = path.join(this.partial, sha256);
    let total = 0;
    let hashed: string | null;
    const report = throttled((done: number) =>
      this.deps.progress({ sha256, direction: 'down', done, total }),
    );
    try {
      const result = await downloadBlob(
        access,
        sha256,
        roomId,
        partial,
        (done, size) => {
          total = size;
          report(done, done === size);
        },
        abort.signal,
      );
      this.counters.bytesDownloaded += result.fetched;
      hashed = result.sha256;
    } catch (error) {
      if (error instanceof TransferCancelled)
        throw new ApiError('invalid_input', 'Download cancelled.');
      if (error instanceof TransferError)
        throw new ApiError(error.code === 'offline' ? 'offline' : 'not_found', error.message);
      throw error;
    }
    if ((hashed ?? (await sha256OfFile(partial))) !== sha256) {
      // Cut short, it resumes from here next time; whole but wrong, it starts over.
      if (fs.statSync(partial).size >= total) fs.rmSync(partial, { force: true });
      throw new ApiError('offline', 'The download stopped before the end; try again to go on.');
    }
    this.keep({ sha256, size: fs.statSync(partial).size, file: partial }, false);
    this.deps.grew();
  }

  /** The file a `/media/<sha256>` request names, when it is here. */
  fileFor(sha256: string): string | null {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
    const file = this.blobPath(sha256);
    if (!fs.existsSync(file)) return null;
    this.deps.storage.touchFile(file);
    return file;
  }

  stop(): void {
    this.uploading?.abort.abort();
    for (const abort of this.downloadAborts.values()) abort.abort();
  }
}

/** The app-relative address of a blob in the media folder (both hosts serve it). */
export const MEDIA_URL_PREFIX = '/media/';

/** A file served to the renderer, with the headers that say how it may be used. */
export interface ServedFile {
  path: string;
  headers: Record<string, string>;
}

/**
 * What a `/media/<sha256>?type=…&name=…&download=1` request gets: the file, shown inline only as
 * one of the raster image types (a type the server found in the content); anything else, HTML
 * and SVG included, only as a download, never sniffed, in a sandbox with no script.
 */
export function mediaFileFor(media: MediaService, url: URL): ServedFile | null {
  const match = /^\/media\/([0-9a-f]{64})$/.exec(url.pathname);
  const file = match ? media.fileFor(match[1]!) : null;
  if (!file) return null;
  const type = url.searchParams.get('type') ?? '';
  const name = (url.searchParams.get('name') ?? 'file').replace(/[\r\n"]/g, '');
  const inline = INLINE_IMAGE_TYPES.has(type) && !url.searchParams.has('download');
  return {
    path: file,
    headers: {
      'Content-Type': inline ? type : 'application/octet-stream',
      'Content-Disposition': inline
        ? 'inline'
        : `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, max-age=31536000, immutable',
    },
  };
}
