/**
 * The data directory holds messages, keys, recordings and backups: only its owner may read it.
 * New files are made private by the process's umask (set once at start, before anything is
 * created); files of an installation made before that are fixed by walking the folder.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes every file and folder this process creates from now on private (umask 077). Returns false
 * where the platform has no umask to set (Windows ignores it; worker threads may not set it).
 */
export function restrictNewFiles(): boolean {
  if (process.platform === 'win32') return false;
  try {
    process.umask(0o077);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates `dir` if needed and makes it and everything under it private: folders 0700, files
 * 0600. Symbolic links are not followed. Returns how many entries had their mode changed.
 */
export function makePrivate(dir: string): number {
  if (process.platform === 'win32') {
    fs.mkdirSync(dir, { recursive: true });
    return 0;
  }
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  let changed = 0;
  const fix = (target: string, mode: number) => {
    const stats = fs.lstatSync(target);
    if ((stats.mode & 0o777) !== mode) {
      fs.chmodSync(target, mode);
      changed++;
    }
  };
  const walk = (folder: string) => {
    fix(folder, PRIVATE_DIR_MODE);
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      try {
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile()) fix(full, PRIVATE_FILE_MODE);
      } catch {
        // removed while walking (a WAL file checkpointed away): nothing to fix
      }
    }
  };
  walk(dir);
  return changed;
}
