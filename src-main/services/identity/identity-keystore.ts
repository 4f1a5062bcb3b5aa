/**
 * The user's identity: an Ed25519 key pair and a display name, kept in main. The private key is
 * only ever used here, to sign the server's challenge; nothing returns it to a caller.
 *
 * Stored as JSON in keys/identity.json (mode 0600), written atomically. Encrypting it at rest
 * with the platform's secret storage is the keystore work of the production-readiness issue.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { Identity } from '../../../src-shared/ipc/chat-types';

const StoredIdentity = z.object({
  version: z.literal(1),
  displayName: z.string(),
  publicKey: z.string(),
  privateKey: z.string(),
  createdAt: z.number(),
});
type StoredIdentity = z.infer<typeof StoredIdentity>;

/** Same derivation as the server's (a hash of the raw key); the server's `authed` confirms it. */
export function userIdFor(publicKeyBase64: string): string {
  const raw = Buffer.from(publicKeyBase64, 'base64');
  return `u_${crypto.createHash('sha256').update(raw).digest('hex').slice(0, 32)}`;
}

export class IdentityKeystore {
  private readonly file: string;
  private stored: StoredIdentity | null;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'keys', 'identity.json');
    this.stored = this.load();
  }

  get(): Identity | null {
    const s = this.stored;
    if (!s) return null;
    return {
      userId: userIdFor(s.publicKey),
      displayName: s.displayName,
      publicKey: s.publicKey,
      createdAt: s.createdAt,
    };
  }

  /** Creates the key pair on first use; later calls only change the display name. */
  create(displayName: string): Identity {
    if (this.stored) {
      this.stored = { ...this.stored, displayName };
    } else {
      const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
      const spki = publicKey.export({ format: 'der', type: 'spki' });
      this.stored = {
        version: 1,
        displayName,
        // The raw 32-byte key is the last 32 bytes of its SPKI encoding.
        publicKey: spki.subarray(spki.length - 32).toString('base64'),
        privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
        createdAt: Date.now(),
      };
    }
    this.save(this.stored);
    return this.get()!;
  }

  /** Signs `text` with the private key (base64 signature). */
  sign(text: string): string {
    if (!this.stored) throw new Error('no identity yet');
    const key = crypto.createPrivateKey({
      key: Buffer.from(this.stored.privateKey, 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    return crypto.sign(null, Buffer.from(text, 'utf8'), key).toString('base64');
  }

  private load(): StoredIdentity | null {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return null;
    }
    const parsed = StoredIdentity.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`the identity file ${this.file} is damaged`);
    return parsed.data;
  }

  private save(value: StoredIdentity): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(temp, 'w', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(value));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, this.file);
  }
}
