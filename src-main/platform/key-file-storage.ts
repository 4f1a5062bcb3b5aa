/**
 * SecretStorage for plain Node (the browser host, tests): the wrapping key is a random file
 * readable only by this user (0600). It protects against other users of the machine and against
 * a copied database, not against someone who can read this user's files; it says so.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { open, seal, KEY_BYTES } from '../services/keystore/sealed-box';
import type { SecretStorage } from './platform';

export function createKeyFileStorage(dataDir: string): SecretStorage {
  const file = path.join(dataDir, 'keys', 'platform.key');
  let key: Buffer | null = null;
  const load = (create: boolean): Buffer => {
    if (key) return key;
    try {
      const bytes = fs.readFileSync(file);
      if (bytes.length !== KEY_BYTES) throw new Error(`${file} is damaged`);
      fs.chmodSync(file, 0o600);
      return (key = bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !create) throw error;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const fresh = crypto.randomBytes(KEY_BYTES);
    fs.writeFileSync(file, fresh, { mode: 0o600, flag: 'wx' });
    return (key = fresh);
  };
  return {
    backend: 'key_file',
    protects: false,
    wrap: (secret) => seal(load(true), secret, 'beseda-platform-wrap'),
    unwrap: (wrapped) => open(load(false), wrapped, 'beseda-platform-wrap'),
  };
}
