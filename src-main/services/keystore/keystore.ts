/**
 * Secrets of this installation (the identity's private key, the backup key, server tokens),
 * sealed with one random data key. The data key itself is stored only wrapped: by the operating
 * system (Electron safeStorage, or the browser host's key file) and/or by a passphrase (scrypt).
 *
 * Where the system's protection is not real (Linux's basic_text, the key file) the user can set
 * a passphrase; the system wrap is then dropped, so the data key is only as recoverable as the
 * passphrase. A keyring that changed or vanished leaves the keystore `locked` (a passphrase
 * opens it) or `lost` (only a reset, i.e. re-registration, helps), never a crash.
 *
 * keys/keystore.json (0600, written atomically):
 *   { version, wraps: { system?: {backend, wrapped}, passphrase?: {salt, N, r, p, wrapped} },
 *     check, entries: { name: sealed } }
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { SecretStorage } from '../../platform/platform';
import type { KeystoreStatus } from '../../../src-shared/ipc/types';
import { DEFAULT_SCRYPT, keyFromPassphrase, open, randomKey, seal, SealError } from './sealed-box';

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const StoredKeystore = z.object({
  version: z.literal(1),
  createdAt: z.number(),
  wraps: z.object({
    system: z.object({ backend: z.string(), wrapped: b64 }).optional(),
    passphrase: z
      .object({ salt: b64, N: z.number().int(), r: z.number().int(), p: z.number().int() })
      .extend({ wrapped: b64 })
      .optional(),
  }),
  /** "beseda-keystore" sealed with the data key: tells a wrong key from a damaged entry. */
  check: b64,
  entries: z.record(z.string(), b64),
});
type StoredKeystore = z.infer<typeof StoredKeystore>;

const CHECK_TEXT = 'beseda-keystore';
export const MIN_PASSPHRASE_LENGTH = 8;

/** A secret was asked for while the data key is not available. */
export class KeystoreLockedError extends Error {
  constructor(readonly state: KeystoreStatus['state']) {
    super(
      state === 'locked'
        ? 'the keystore is locked: enter the passphrase'
        : 'the keystore cannot be opened: reset it and register again',
    );
    this.name = 'KeystoreLockedError';
  }
}

export class WrongPassphraseError extends Error {
  constructor() {
    super('wrong passphrase');
    this.name = 'WrongPassphraseError';
  }
}

export class Keystore {
  readonly file: string;
  private stored: StoredKeystore;
  private dataKey: Buffer | null = null;
  /** Why the system wrap did not open, when it did not. */
  private systemFailure: string | null = null;
  private readonly listeners = new Set<(status: KeystoreStatus) => void>();

  constructor(
    dataDir: string,
    private readonly system: SecretStorage,
  ) {
    this.file = path.join(dataDir, 'keys', 'keystore.json');
    let existing: StoredKeystore | null;
    try {
      existing = this.read();
    } catch {
      // Unreadable: keep it for inspection and start over (the user registers again).
      fs.renameSync(this.file, `${this.file}.damaged-${Date.now()}`);
      existing = null;
      this.systemFailure = 'damaged_file';
    }
    if (existing) {
      this.stored = existing;
      this.openWithSystem();
    } else {
      const key = randomKey();
      this.stored = this.fresh(key);
      this.dataKey = key;
      this.write();
    }
  }

  status(): KeystoreStatus {
    const wraps = this.stored.wraps;
    const state = this.dataKey ? 'open' : wraps.passphrase ? 'locked' : 'lost';
    return {
      state,
      backend: this.system.backend,
      systemProtects: this.system.protects,
      protection: wraps.passphrase ? (wraps.system ? 'system+passphrase' : 'passphrase') : 'system',
      problem: this.systemFailure,
    };
  }

  onChange(listener: (status: KeystoreStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  has(name: string): boolean {
    return name in this.stored.entries;
  }

  /** The secret, or null when there is none by that name. Throws when locked. */
  get(name: string): Buffer | null {
    const sealed = this.stored.entries[name];
    if (sealed === undefined) return null;
    return open(this.key(), Buffer.from(sealed, 'base64'), name);
  }

  set(name: string, value: Buffer): void {
    const sealed = seal(this.key(), value, name).toString('base64');
    this.stored = { ...this.stored, entries: { ...this.stored.entries, [name]: sealed } };
    this.write();
  }

  /** Opens a locked keystore; re-wraps for the system when the system protects. */
  async unlock(passphrase: string): Promise<KeystoreStatus> {
    const wrap = this.stored.wraps.passphrase;
    if (!wrap) throw new KeystoreLockedError('lost');
    const kek = await keyFromPassphrase(passphrase, Buffer.from(wrap.salt, 'base64'), wrap);
    let key: Buffer;
    try {
      key = open(kek, Buffer.from(wrap.wrapped, 'base64'), 'passphrase-wrap');
    } catch (error) {
      if (error instanceof SealError) throw new WrongPassphraseError();
      throw error;
    }
    this.checkKey(key);
    this.dataKey = key;
    this.systemFailure = null;
    if (this.stored.wraps.system && this.system.protects) {
      // The keyring changed under us: wrap again with the one we have now.
      this.stored = {
        ...this.stored,
        wraps: { ...this.stored.wraps, system: this.systemWrap(key) },
      };
      this.write();
    }
    return this.changed();
  }

  /**
   * Adds (or changes) the passphrase. Where the system does not really protect the key, its wrap
   * is dropped: the passphrase becomes the only way in, and is asked for at each start.
   */
  async setPassphrase(passphrase: string): Promise<KeystoreStatus> {
    if (passphrase.length < MIN_PASSPHRASE_LENGTH)
      throw new Error(`a passphrase has at least ${MIN_PASSPHRASE_LENGTH} characters`);
    const key = this.key();
    const salt = crypto.randomBytes(16);
    const kek = await keyFromPassphrase(passphrase, salt, DEFAULT_SCRYPT);
    const passphraseWrap = {
      salt: salt.toString('base64'),
      ...DEFAULT_SCRYPT,
      wrapped: seal(kek, key, 'passphrase-wrap').toString('base64'),
    };
    const system = this.system.protects ? this.systemWrap(key) : undefined;
    this.stored = { ...this.stored, wraps: { system, passphrase: passphraseWrap } };
    this.write();
    return this.changed();
  }

  /**
   * Starts over with a new data key: every secret is gone (the identity must be registered
   * again, older backups no longer open). The way out of a lost keyring.
   */
  reset(): KeystoreStatus {
    const key = randomKey();
    this.stored = this.fresh(key);
    this.dataKey = key;
    this.systemFailure = null;
    this.write();
    return this.changed();
  }

  private fresh(key: Buffer): StoredKeystore {
    return {
      version: 1,
      createdAt: Date.now(),
      wraps: { system: this.systemWrap(key) },
      check: seal(key, Buffer.from(CHECK_TEXT), 'check').toString('base64'),
      entries: {},
    };
  }

  private systemWrap(key: Buffer) {
    return { backend: this.system.backend, wrapped: this.system.wrap(key).toString('base64') };
  }

  private openWithSystem(): void {
    const wrap = this.stored.wraps.system;
    if (!wrap) {
      this.systemFailure = 'passphrase';
      return;
    }
    try {
      const key = this.system.unwrap(Buffer.from(wrap.wrapped, 'base64'));
      this.checkKey(key);
      this.dataKey = key;
    } catch (error) {
      this.systemFailure =
        wrap.backend !== this.system.backend
          ? `keyring_changed:${wrap.backend}->${this.system.backend}`
          : `keyring_failed:${(error as Error).message}`;
    }
  }

  private checkKey(key: Buffer): void {
    open(key, Buffer.from(this.stored.check, 'base64'), 'check');
  }

  private key(): Buffer {
    if (!this.dataKey) throw new KeystoreLockedError(this.status().state);
    return this.dataKey;
  }

  private changed(): KeystoreStatus {
    const status = this.status();
    for (const listener of this.listeners) listener(status);
    return status;
  }

  private read(): StoredKeystore | null {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const parsed = StoredKeystore.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`the keystore ${this.file} is damaged`);
    return parsed.data;
  }

  private write(): void {
    writePrivateFile(this.file, JSON.stringify(this.stored));
  }
}

/** Atomic write of a file only this user may read (0600 in a 0700 folder). */
export function writePrivateFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}
