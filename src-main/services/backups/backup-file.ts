/**
 * Backup files, through the backup worker (backup-worker-source.ts): take a sealed backup of a
 * live database, or open one into a plain database file and check it. Each call runs one
 * worker thread and resolves with its result; progress is reported as the worker goes.
 */
import { Worker } from 'node:worker_threads';
import { SealError } from '../keystore/sealed-box';
import { BACKUP_WORKER_SOURCE } from './backup-worker-source';

const AAD = 'beseda-backup-v1';

/**
 * Databases up to this size are copied and checked in the worker's memory (about twice the size
 * at the peak, for a few seconds); larger ones through work files beside the backups.
 */
const DEFAULT_IN_MEMORY_LIMIT = 512 * 1024 * 1024;

export type WorkerPhase = 'copying' | 'sealing' | 'verifying' | 'opening' | 'checking';

export interface DatabaseCheck {
  ok: boolean;
  /** "ok", or SQLite's first complaint. */
  result: string;
  schemaVersion: number;
  messages: number | null;
}

type Progress = (phase: WorkerPhase, fraction: number) => void;

function runWorker<T>(task: Record<string, unknown>, onProgress: Progress = () => {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BACKUP_WORKER_SOURCE, {
      eval: true,
      workerData: { ...task, aad: AAD, module: require.resolve('better-sqlite3') },
    });
    let settled = false;
    worker.on('message', (message: { type: string; [k: string]: unknown }) => {
      if (message.type === 'progress')
        onProgress(message.phase as WorkerPhase, message.fraction as number);
      else if (message.type === 'done') {
        settled = true;
        resolve(message.result as T);
      } else if (message.type === 'failed') {
        settled = true;
        const text = String(message.message);
        reject(message.sealError ? new SealError(text) : new Error(text));
      }
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the backup worker stopped (${code})`));
    });
  });
}

/**
 * Copies the live database `source` (its own connection, one read transaction: the app keeps
 * writing), then compresses and seals it into `target` (written as target.partial and renamed
 * when complete) and verifies it by opening it again and running integrity_check: in memory up to
 * `memoryLimit`, through `work` and `verifyFile` above it. Runs at low priority where the system
 * allows it.
 */
export function takeSealedBackup(
  files: { source: string; work: string; target: string; verifyFile: string },
  key: Buffer,
  onProgress?: Progress,
  memoryLimit = DEFAULT_IN_MEMORY_LIMIT,
): Promise<{ bytes: number; databaseBytes: number; check: DatabaseCheck }> {
  return runWorker(
    { kind: 'backup', background: true, ...files, keyHex: key.toString('hex'), memoryLimit },
    onProgress,
  );
}

/**
 * Opens a sealed backup into a plain database file, then checks it (`quick`, `full` or not at
 * all). A file that is not a backup, or not sealed with this key, rejects with SealError and
 * leaves no output.
 */
export function openSealedBackup(
  sealedFile: string,
  plainFile: string,
  key: Buffer,
  options: { check?: 'quick' | 'full' | null; onProgress?: Progress } = {},
): Promise<{ check: DatabaseCheck | null }> {
  return runWorker(
    {
      kind: 'open',
      source: sealedFile,
      target: plainFile,
      keyHex: key.toString('hex'),
      phase: 'opening',
      checkMode: options.check ?? null,
    },
    options.onProgress,
  );
}
