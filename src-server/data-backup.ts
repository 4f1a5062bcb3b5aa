/**
 * Backup and restore of a server's data directory, for operators:
 *   server.cjs backup  --data-dir DIR --out BACKUPS   (while the server runs)
 *   server.cjs restore --data-dir DIR --from BACKUPS/beseda-server-...   (server stopped)
 * The databases are copied online with SQLite's backup API in one read transaction (the server
 * keeps writing to its WAL meanwhile), each copy passes integrity_check, and a manifest lists
 * what was taken. Restore checks the backup again and keeps the current files aside.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

const DATABASES = ['server.db', 'analytics.db'];
/**
 * Small files that belong with the databases: the token-signing secret, the server's id, and its
 * identity (the key clients pinned, and the self-signed certificate it vouches for): a server
 * restored on a new machine is the same server to every app.
 */
const FILES = ['token-secret', 'server-id', 'server-key', 'tls-cert.pem', 'tls-key.pem'];

export interface ServerBackupManifest {
  createdAt: number;
  databases: Array<{ name: string; bytes: number; check: string }>;
  files: string[];
}

function integrity(file: string): string {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return String(db.pragma('integrity_check(1)', { simple: true }));
  } finally {
    db.close();
  }
}

export async function backUpServerData(dataDir: string, outDir: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = path.join(outDir, `beseda-server-${stamp}`);
  const partial = `${target}.partial`;
  fs.mkdirSync(partial, { recursive: true, mode: 0o700 });
  const manifest: ServerBackupManifest = { createdAt: Date.now(), databases: [], files: [] };
  try {
    for (const name of DATABASES) {
      const source = path.join(dataDir, name);
      if (!fs.existsSync(source)) continue;
      const db = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
      try {
        await db.backup(path.join(partial, name), { progress: () => 0x7fffffff });
      } finally {
        db.close();
      }
      const check = integrity(path.join(partial, name));
      if (check !== 'ok') throw new Error(`the copy of ${name} failed integrity_check: ${check}`);
      manifest.databases.push({ name, bytes: fs.statSync(path.join(partial, name)).size, check });
    }
    if (!manifest.databases.length) throw new Error(`no server databases in ${dataDir}`);
    for (const name of FILES) {
      if (!fs.existsSync(path.join(dataDir, name))) continue;
      fs.copyFileSync(path.join(dataDir, name), path.join(partial, name));
      fs.chmodSync(path.join(partial, name), 0o600);
      manifest.files.push(name);
    }
    fs.writeFileSync(path.join(partial, 'manifest.json'), JSON.stringify(manifest, null, 2));
    fs.renameSync(partial, target);
    return target;
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** Replaces a (stopped) server's data with a backup; the current files are kept aside. */
export function restoreServerData(dataDir: string, fromDir: string): string {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(fromDir, 'manifest.json'), 'utf8'),
  ) as ServerBackupManifest;
  for (const { name } of manifest.databases) {
    const check = integrity(path.join(fromDir, name));
    if (check !== 'ok') throw new Error(`${name} in the backup fails integrity_check: ${check}`);
  }
  const aside = path.join(
    dataDir,
    `before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`,
  );
  fs.mkdirSync(aside, { recursive: true, mode: 0o700 });
  for (const name of [...manifest.databases.map((d) => d.name), ...manifest.files]) {
    for (const suffix of ['', '-wal', '-shm']) {
      const current = path.join(dataDir, name + suffix);
      if (fs.existsSync(current)) fs.renameSync(current, path.join(aside, name + suffix));
    }
    fs.copyFileSync(path.join(fromDir, name), path.join(dataDir, name));
  }
  return aside;
}
