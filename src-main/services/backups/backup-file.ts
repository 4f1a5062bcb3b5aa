/**
 * The backup file format: a SQLite database, gzip-compressed, sealed with the backup key
 * (streaming AES-256-GCM, see sealed-box). Layout: header (13 bytes) | ciphertext | tag (16).
 * Files are written under a `.partial` name and renamed only when complete and synced, so a
 * crash mid-write leaves nothing that looks like a backup.
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import zlib from 'node:zlib';
import { Worker } from 'node:worker_threads';
import {
  openStream,
  sealStream,
  STREAM_HEADER_BYTES,
  STREAM_TAG_BYTES,
  SealError,
} from '../keystore/sealed-box';

const AAD = 'talkdesk-backup-v1';

/** Reports bytes as they pass, for progress bars. */
function counter(onBytes: (bytes: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      onBytes(total);
      done(null, chunk);
    },
  });
}

/** Compresses and seals `plainFile` into `target` (written as target.partial, then renamed). */
export async function writeSealedBackup(
  plainFile: string,
  target: string,
  key: Buffer,
  onProgress: (fraction: number) => void = () => {},
): Promise<number> {
  const partial = `${target}.partial`;
  const size = fs.statSync(plainFile).size || 1;
  const { header, cipher } = sealStream(key, AAD);
  const out = fs.createWriteStream(partial, { mode: 0o600 });
  out.write(header);
  try {
    await pipeline(
      fs.createReadStream(plainFile, { highWaterMark: 1 << 20 }),
      counter((bytes) => onProgress(bytes / size)),
      zlib.createGzip({ level: 6 }),
      cipher,
      out,
      { end: false },
    );
    await new Promise<void>((resolve, reject) =>
      out.end(cipher.getAuthTag(), (error?: Error | null) => (error ? reject(error) : resolve())),
    );
    const fd = fs.openSync(partial, 'r+');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(partial, target);
  } catch (error) {
    out.destroy();
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return fs.statSync(target).size;
}

/**
 * Opens a sealed backup into a plain database file. The tag is checked when the stream ends;
 * on any failure the output is removed, so a returned file is always the whole, authentic one.
 */
export async function openSealedBackup(
  sealedFile: string,
  plainFile: string,
  key: Buffer,
  onProgress: (fraction: number) => void = () => {},
): Promise<void> {
  const size = fs.statSync(sealedFile).size;
  if (size < STREAM_HEADER_BYTES + STREAM_TAG_BYTES) throw new SealError('not a backup file');
  const fd = fs.openSync(sealedFile, 'r');
  const header = Buffer.alloc(STREAM_HEADER_BYTES);
  const tag = Buffer.alloc(STREAM_TAG_BYTES);
  try {
    fs.readSync(fd, header, 0, header.length, 0);
    fs.readSync(fd, tag, 0, tag.length, size - STREAM_TAG_BYTES);
  } finally {
    fs.closeSync(fd);
  }
  const decipher = openStream(key, header, tag, AAD);
  const bodyBytes = size - STREAM_HEADER_BYTES - STREAM_TAG_BYTES;
  try {
    await pipeline(
      fs.createReadStream(sealedFile, {
        start: STREAM_HEADER_BYTES,
        end: size - STREAM_TAG_BYTES - 1,
        highWaterMark: 1 << 20,
      }),
      counter((bytes) => onProgress(bytes / Math.max(1, bodyBytes))),
      decipher,
      zlib.createGunzip(),
      fs.createWriteStream(plainFile, { mode: 0o600 }),
    );
  } catch (error) {
    fs.rmSync(plainFile, { force: true });
    if ((error as Error).message?.includes('authenticate')) throw new SealError();
    throw error;
  }
}

export interface DatabaseCheck {
  ok: boolean;
  /** "ok", or SQLite's first complaint. */
  result: string;
  schemaVersion: number;
  messages: number | null;
}

// Runs in a worker thread: a full integrity_check of a large database takes seconds, and the
// app's own writes must not wait for it.
const CHECK_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  const rows = db.pragma(workerData.full ? 'integrity_check(1)' : 'quick_check(1)');
  const result = String(Object.values(rows[0] || { r: 'no answer' })[0]);
  const schemaVersion = db.pragma('user_version', { simple: true });
  let messages = null;
  try { messages = db.prepare('SELECT count(*) AS n FROM messages').get().n; } catch {}
  parentPort.postMessage({ ok: result === 'ok', result, schemaVersion, messages });
} catch (error) {
  parentPort.postMessage({ ok: false, result: String(error && error.message || error), schemaVersion: 0, messages: null });
} finally {
  if (db) db.close();
}
`;

/** integrity_check (full) or quick_check of a database file, off the main thread. */
export function checkDatabaseFile(file: string, full = true): Promise<DatabaseCheck> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CHECK_WORKER, {
      eval: true,
      workerData: { file, full, module: require.resolve('better-sqlite3') },
    });
    worker.once('message', (check: DatabaseCheck) => resolve(check));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`database check stopped with ${code}`));
    });
  });
}
