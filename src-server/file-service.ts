/**
 * Files on the server: uploaded in pieces over HTTP (resumable: the size of the partial file is
 * where the next piece starts), stored once by their SHA-256, typed by their content, and served
 * only to members of a room where a message carries them.
 *
 *   POST  /files/uploads            {roomId, sha256, size} -> {offset, complete}
 *   PATCH /files/uploads/<sha256>   Upload-Offset: n, the next piece -> {offset, complete}
 *   GET   /files/<sha256>?room=<id> the bytes (Range supported), as an attachment
 *
 * Every request carries the session token (`Authorization: Bearer`). Knowing a hash is not
 * owning the file: a blob already here counts as a user's only after they upload it whole.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile } from 'file-type';
import * as z from 'zod';
import { RoomId, Sha256 } from '../src-shared/protocol/entities';
import { UPLOAD_CHUNK_BYTES } from '../src-shared/protocol/limits';
import type { Logger } from '../src-shared/log';
import type { ServerStore } from './server-store';

const UploadStart = z
  .object({ roomId: RoomId, sha256: Sha256, size: z.number().int().nonnegative() })
  .strict();

export interface FileAccess {
  /** The user a session token belongs to, or null when it is not good. */
  userFor(token: string): string | null;
  isMember(roomId: string, userId: string): boolean;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage, limit = 4096): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'too_large', 'request body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'malformed', 'request body is not JSON');
  }
}

export function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

async function sha256Of(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

export class FileService {
  private readonly blobs: string;
  private readonly partial: string;
  /** Uploads being written now: one writer per (user, hash). */
  private readonly writing = new Set<string>();
  /**
   * The running SHA-256 of each upload this process saw from its first byte, with how far it
   * got: the last piece needs no second read of the whole file (after a restart it does).
   */
  private readonly hashes = new Map<string, { offset: number; hash: crypto.Hash }>();
  readonly counters = { bytesReceived: 0, bytesServed: 0, refusedDownloads: 0 };

  constructor(
    dataDir: string,
    private readonly store: ServerStore,
    private readonly access: FileAccess,
    private readonly maxFileBytes: number,
    private readonly logger: Logger,
  ) {
    this.blobs = path.join(dataDir, 'files', 'blobs');
    this.partial = path.join(dataDir, 'files', 'partial');
    fs.mkdirSync(this.blobs, { recursive: true });
    fs.mkdirSync(this.partial, { recursive: true });
  }

  /** Answers the request when it is one of ours; false when it is not. */
  handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): boolean {
    if (!url.pathname.startsWith('/files/')) return false;
    void this.route(req, res, url).catch((error: unknown) => {
      if (error instanceof HttpError) {
        json(res, error.status, { error: error.code, message: error.message, ...error.extra });
        return;
      }
      this.logger.error('file request failed', { error });
      if (!res.headersSent) json(res, 500, { error: 'internal', message: 'internal error' });
      else res.destroy();
    });
    return true;
  }

  blobPath(sha256: string): string {
    return path.join(this.blobs, sha256.slice(0, 2), sha256);
  }

  private partialPath(userId: string, sha256: string, size: number): string {
    return path.join(this.partial, userId, `${sha256}.${size}.part`);
  }

  private user(req: http.IncomingMessage): string {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const userId = token ? this.access.userFor(token) : null;
    if (!userId) throw new HttpError(401, 'unauthenticated', 'sign in first');
    return userId;
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const userId = this.user(req);
    if (req.method === 'POST' && url.pathname === '/files/uploads')
      return json(res, 200, await this.start(userId, await readJson(req)));
    const upload = /^\/files\/uploads\/([0-9a-f]{64})$/.exec(url.pathname);
    if (req.method === 'PATCH' && upload)
      return json(res, 200, await this.append(userId, upload[1]!, req));
    const get = /^\/files\/([0-9a-f]{64})$/.exec(url.pathname);
    if ((req.method === 'GET' || req.method === 'HEAD') && get)
      return this.serve(userId, get[1]!, url.searchParams.get('room') ?? '', req, res);
    throw new HttpError(404, 'not_found', 'no such file endpoint');
  }

  private async start(userId: string, body: unknown) {
    const parsed = UploadStart.safeParse(body);
    if (!parsed.success) throw new HttpError(400, 'malformed', 'roomId, sha256 and size expected');
    const { roomId, sha256, size } = parsed.data;
    if (!this.access.isMember(roomId, userId))
      throw new HttpError(403, 'not_member', 'you are not a member of this room');
    if (size > this.maxFileBytes)
      throw new HttpError(
        413,
        'file_too_large',
        `The file is ${megabytes(size)}; this server takes files up to ${megabytes(this.maxFileBytes)}.`,
        { limit: this.maxFileBytes },
      );
    if (this.store.ownsBlob(sha256, userId)) return { offset: size, complete: true };
    const file = this.partialPath(userId, sha256, size);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const offset = fs.existsSync(file) ? fs.statSync(file).size : 0;
    if (!fs.existsSync(file)) fs.writeFileSync(file, '');
    if (offset === size) return this.finish(userId, sha256, size, file);
    return { offset, complete: false };
  }

  private async append(userId: string, sha256: string, req: http.IncomingMessage) {
    const size = Number(req.headers['upload-length']);
    const offset = Number(req.headers['upload-offset']);
    const length = Number(req.headers['content-length']);
    if (
      !Number.isSafeInteger(size) ||
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length)
    )
      throw new HttpError(
        400,
        'malformed',
        'Upload-Length, Upload-Offset and Content-Length expected',
      );
    if (length > UPLOAD_CHUNK_BYTES || offset + length > size)
      throw new HttpError(413, 'too_large', 'a piece is too large');
    const file = this.partialPath(userId, sha256, size);
    if (!fs.existsSync(file)) throw new HttpError(404, 'no_upload', 'start the upload first');
    const key = `${userId}:${sha256}`;
    if (this.writing.has(key)) throw new HttpError(409, 'busy', 'this upload is being written');
    const have = fs.statSync(file).size;
    if (have !== offset)
      throw new HttpError(409, 'wrong_offset', `the upload is at ${have}`, { offset: have });
    this.writing.add(key);
    let running = this.hashes.get(key);
    if (running?.offset !== offset)
      running = offset === 0 ? { offset: 0, hash: crypto.createHash('sha256') } : undefined;
    this.hashes.delete(key);
    try {
      let received = 0;
      const out = fs.createWriteStream(file, { flags: 'a' });
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        this.counters.bytesReceived += chunk.length;
        running?.hash.update(chunk);
      });
      await pipeline(req, out);
      if (received !== length)
        throw new HttpError(400, 'short', `got ${received} of ${length} bytes`, {
          offset: fs.statSync(file).size,
        });
      if (running) this.hashes.set(key, { offset: offset + received, hash: running.hash });
    } finally {
      this.writing.delete(key);
    }
    const now = fs.statSync(file).size;
    if (now < size) return { offset: now, complete: false };
    const whole = this.hashes.get(key);
    this.hashes.delete(key);
    return this.finish(userId, sha256, size, file, whole?.offset === size ? whole.hash : null);
  }

  /** The whole file is here: checked against its hash, typed by content, kept by hash. */
  private async finish(
    userId: string,
    sha256: string,
    size: number,
    file: string,
    running: crypto.Hash | null = null,
  ) {
    const actual = running ? running.digest('hex') : await sha256Of(file);
    if (actual !== sha256) {
      fs.rmSync(file, { force: true });
      throw new HttpError(
        422,
        'hash_mismatch',
        'the file does not match its SHA-256; send it again',
      );
    }
    const target = this.blobPath(sha256);
    if (!this.store.blob(sha256)) {
      const type = await fileTypeFromFile(file).catch(() => undefined);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(file, target);
      this.store.addBlob(sha256, size, type?.mime ?? 'application/octet-stream');
    } else {
      fs.rmSync(file, { force: true });
    }
    this.store.ownBlob(sha256, userId);
    return { offset: size, complete: true };
  }

  private serve(
    userId: string,
    sha256: string,
    roomId: string,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): void {
    // Not a member, not in that room, or no such file: all look the same from outside.
    const blob = this.store.blob(sha256);
    if (
      !blob ||
      !RoomId.safeParse(roomId).success ||
      !this.access.isMember(roomId, userId) ||
      !this.store.roomHasFile(roomId, sha256)
    ) {
      this.counters.refusedDownloads++;
      throw new HttpError(404, 'not_found', 'no such file');
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (start > blob.size) throw new HttpError(416, 'bad_range', 'range beyond the file');
    res.writeHead(range ? 206 : 200, {
      'Content-Type': 'application/octet-stream',
      'X-Content-Type': blob.mime,
      'Content-Length': String(blob.size - start),
      'Content-Disposition': 'attachment',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, max-age=31536000, immutable',
      ...(range ? { 'Content-Range': `bytes ${start}-${blob.size - 1}/${blob.size}` } : {}),
    });
    if (req.method === 'HEAD') return void res.end();
    const stream = fs.createReadStream(this.blobPath(sha256), { start });
    stream.on('data', (chunk) => (this.counters.bytesServed += chunk.length));
    void pipeline(stream, res).catch(() => undefined);
  }
}
