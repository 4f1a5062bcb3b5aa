/**
 * The backup worker, as the source of a worker thread (plain CommonJS JavaScript, run with
 * `eval: true`, so it needs no file of its own in the bundle or the package). Everything heavy
 * of a backup runs here, off the app's event loop: the copy (its own SQLite connection, one read
 * transaction, so the app keeps writing), compression, encryption, verification, and the checks.
 *
 * On Linux the thread lowers its own priority (nice 19; niceness is per thread there), so on a
 * busy machine the app's main thread is served first and the backup takes longer instead.
 *
 * Sealed file: header (version 1 byte | nonce 12) | AES-256-GCM ciphertext | tag (16). The
 * plaintext is a sequence of frames [u32 big-endian length | gzip member of up to 4 MB of the
 * database]: valid multi-member gzip once the lengths are removed, and block-wise so that no step
 * holds more than one block in memory.
 *
 * Messages to the parent: {type:'progress', phase, fraction}, then {type:'done', result} or
 * {type:'failed', message, sealError}.
 */
export const BACKUP_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const zlib = require('node:zlib');
const Database = require(workerData.module);

const BLOCK = 4 * 1024 * 1024;
const VERSION = 1;
const NONCE = 12;
const TAG = 16;

function lowerPriority() {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (tid) os.setPriority(tid, 19);
  } catch {
    // not Linux, or not allowed: the backup runs at normal priority
  }
}

let lastReport = 0;
function progress(phase, fraction, force) {
  const now = Date.now();
  if (!force && now - lastReport < 100) return;
  lastReport = now;
  parentPort.postMessage({ type: 'progress', phase, fraction: Math.max(0, Math.min(1, fraction)) });
}

class SealError extends Error {}

// Hundreds of MB written at full speed fill the page cache with dirty pages, and the kernel then
// throttles every writer of the process, the app's own database writes included. Flushing every
// 16 MB keeps the backup's share of dirty pages small.
const FLUSH_EVERY = 4 * 1024 * 1024;
function flushingWriter(fd) {
  let unflushed = 0;
  return (buffer) => {
    fs.writeSync(fd, buffer);
    unflushed += buffer.length;
    if (unflushed >= FLUSH_EVERY) {
      fs.fdatasyncSync(fd);
      unflushed = 0;
    }
  };
}

async function copyDatabase(source, target) {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    // After the first small step, one step copies the rest inside one read transaction: the
    // app's writes (another connection) go to the WAL meanwhile and never restart the copy.
    await db.backup(target, {
      progress: ({ totalPages, remainingPages }) => {
        progress('copying', totalPages ? 1 - remainingPages / totalPages : 1);
        return 0x7fffffff;
      },
    });
  } finally {
    db.close();
  }
}

/** 4 MB blocks of a database: from a file, or from memory (a serialized snapshot). */
function* blocksOf(source) {
  if (Buffer.isBuffer(source)) {
    for (let offset = 0; offset < source.length; offset += BLOCK)
      yield { data: source.subarray(offset, offset + BLOCK), done: Math.min(source.length, offset + BLOCK) };
    return;
  }
  const fd = fs.openSync(source, 'r');
  try {
    const block = Buffer.alloc(BLOCK);
    let offset = 0;
    for (;;) {
      const read = fs.readSync(fd, block, 0, BLOCK, offset);
      if (read === 0) break;
      offset += read;
      yield { data: block.subarray(0, read), done: offset };
    }
  } finally {
    fs.closeSync(fd);
  }
}

function seal(source, target, key, aad) {
  const partial = target + '.partial';
  const size = (Buffer.isBuffer(source) ? source.length : fs.statSync(source).size) || 1;
  const nonce = crypto.randomBytes(NONCE);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const out = fs.openSync(partial, 'w', 0o600);
  try {
    const write = flushingWriter(out);
    write(Buffer.from([VERSION]));
    write(nonce);
    for (const { data, done } of blocksOf(source)) {
      const packed = zlib.gzipSync(data, { level: 6 });
      const length = Buffer.alloc(4);
      length.writeUInt32BE(packed.length);
      write(cipher.update(length));
      write(cipher.update(packed));
      progress('sealing', done / size);
    }
    write(cipher.final());
    write(cipher.getAuthTag());
    fs.fsyncSync(out);
  } catch (error) {
    fs.closeSync(out);
    fs.rmSync(partial, { force: true });
    throw error;
  }
  fs.closeSync(out);
  fs.renameSync(partial, target);
  return fs.statSync(target).size;
}

/**
 * Decrypts and unpacks into plainFile, or into memory when plainFile is null (returns the
 * Buffer). The tag is checked at the end, and any failure removes the output.
 */
function open(sealedFile, plainFile, key, aad, phase, expectedBytes) {
  const size = fs.statSync(sealedFile).size;
  if (size < 1 + NONCE + TAG) throw new SealError('not a backup file');
  const input = fs.openSync(sealedFile, 'r');
  // In memory: one buffer of the size the backup was taken at, filled in place (no second copy).
  const memory = plainFile === null ? Buffer.allocUnsafe(expectedBytes) : null;
  let filled = 0;
  const out = plainFile === null ? null : fs.openSync(plainFile, 'w', 0o600);
  try {
    const header = Buffer.alloc(1 + NONCE);
    const tag = Buffer.alloc(TAG);
    fs.readSync(input, header, 0, header.length, 0);
    fs.readSync(input, tag, 0, TAG, size - TAG);
    if (header[0] !== VERSION) throw new SealError('not a backup file');
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, header.subarray(1));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    const end = size - TAG;
    const write =
      out === null
        ? (buffer) => {
            if (filled + buffer.length > memory.length) throw new SealError('not a backup file');
            filled += buffer.copy(memory, filled);
          }
        : flushingWriter(out);
    const chunk = Buffer.alloc(BLOCK);
    let offset = header.length;
    let pending = Buffer.alloc(0);
    const unpack = (final) => {
      for (;;) {
        if (pending.length < 4) break;
        const length = pending.readUInt32BE(0);
        if (length > 2 * BLOCK) throw new SealError('not a backup file');
        if (pending.length < 4 + length) break;
        write(zlib.gunzipSync(pending.subarray(4, 4 + length), { maxOutputLength: BLOCK }));
        pending = pending.subarray(4 + length);
      }
      if (final && pending.length) throw new SealError('not a backup file');
    };
    while (offset < end) {
      const read = fs.readSync(input, chunk, 0, Math.min(BLOCK, end - offset), offset);
      if (read === 0) break;
      offset += read;
      pending = Buffer.concat([pending, decipher.update(chunk.subarray(0, read))]);
      // Unauthenticated until final(): garbage may fail to unpack first; either way it is refused.
      try {
        unpack(false);
      } catch (error) {
        throw error instanceof SealError ? error : new SealError('not a backup file');
      }
      progress(phase, (offset - header.length) / Math.max(1, end - header.length));
    }
    try {
      decipher.final();
    } catch {
      throw new SealError('the backup does not open with this key (wrong key or damaged file)');
    }
    unpack(true);
    if (out !== null) fs.fsyncSync(out);
  } catch (error) {
    if (out !== null) {
      fs.closeSync(out);
      fs.rmSync(plainFile, { force: true });
    }
    throw error;
  } finally {
    fs.closeSync(input);
  }
  if (out === null) {
    if (filled !== memory.length) throw new SealError('the backup is shorter than when it was taken');
    return memory;
  }
  fs.closeSync(out);
  return null;
}

/** Checks a database file, or a serialized database in memory. */
function check(file, full) {
  let db;
  try {
    if (Buffer.isBuffer(file) && file.length >= 100) {
      // A WAL database's header says so (bytes 18-19 = 2), and an in-memory database cannot
      // have a WAL: read it as a rollback-journal database (1), which is the same content.
      file[18] = 1;
      file[19] = 1;
    }
    db = Buffer.isBuffer(file) ? new Database(file) : new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma(full ? 'integrity_check(1)' : 'quick_check(1)');
    const result = String(Object.values(rows[0] || { r: 'no answer' })[0]);
    const schemaVersion = db.pragma('user_version', { simple: true });
    let messages = null;
    try {
      messages = db.prepare('SELECT count(*) AS n FROM messages').get().n;
    } catch {}
    return { ok: result === 'ok', result, schemaVersion, messages };
  } catch (error) {
    return { ok: false, result: String((error && error.message) || error), schemaVersion: 0, messages: null };
  } finally {
    if (db) db.close();
  }
}

function databaseSize(file) {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += fs.statSync(file + suffix).size;
    } catch {}
  }
  return total;
}

async function main() {
  const task = workerData;
  if (task.background) lowerPriority();
  const key = task.keyHex ? Buffer.from(task.keyHex, 'hex') : null;
  if (task.kind === 'backup') {
    // Up to memoryLimit the copy and the check stay in memory: writing (and flushing) hundreds of
    // MB twice makes the disk the app writes to busy. Above it they go through work files.
    const inMemory = databaseSize(task.source) <= task.memoryLimit;
    let snapshot;
    if (inMemory) {
      progress('copying', 0, true);
      const db = new Database(task.source, { readonly: true, fileMustExist: true });
      try {
        snapshot = db.serialize();
      } finally {
        db.close();
      }
    } else {
      await copyDatabase(task.source, task.work);
      snapshot = task.work;
    }
    const databaseBytes = inMemory ? snapshot.length : fs.statSync(task.work).size;
    progress('sealing', 0, true);
    const bytes = seal(snapshot, task.target, key, task.aad);
    snapshot = null;
    fs.rmSync(task.work, { force: true });
    progress('verifying', 0, true);
    let verified;
    try {
      const opened = open(
        task.target,
        inMemory ? null : task.verifyFile,
        key,
        task.aad,
        'verifying',
        databaseBytes,
      );
      progress('checking', 0, true);
      verified = check(inMemory ? opened : task.verifyFile, true);
    } catch (error) {
      verified = { ok: false, result: error.message, schemaVersion: 0, messages: null };
    } finally {
      fs.rmSync(task.verifyFile, { force: true });
    }
    return { bytes, databaseBytes, check: verified };
  }
  if (task.kind === 'open') {
    open(task.source, task.target, key, task.aad, task.phase);
    if (!task.checkMode) return { check: null };
    progress('checking', 0, true);
    return { check: check(task.target, task.checkMode === 'full') };
  }
  throw new Error('unknown task ' + task.kind);
}

main().then(
  (result) => parentPort.postMessage({ type: 'done', result }),
  (error) =>
    parentPort.postMessage({
      type: 'failed',
      message: String((error && error.message) || error),
      sealError: error instanceof SealError,
    }),
);
`;
