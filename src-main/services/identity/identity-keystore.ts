/**
 * The user's identity: an Ed25519 key pair and a display name, kept in main. The private key is
 * only ever used here, to sign the server's challenge; nothing returns it to a caller.
 *
 * The public part is keys/identity.json (0600); the private key is sealed in the Keystore. An
 * identity file of version 1 (private key in clear, before the keystore) is moved into it.
 * When the keystore was reset the private key is gone: the identity is then no more, and the
 * user registers again.
 */
import crypto from 'node:crypto';
import { fingerprintFromSha256 } from '../../../src-shared/protocol/entities';
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { Identity } from '../../../src-shared/ipc/chat-types';
import { writePrivateFile, type Keystore } from '../keystore/keystore';

const StoredIdentity = z.object({
  version: z.literal(2),
  displayName: z.string(),
  publicKey: z.string(),
  createdAt: z.number(),
});
type StoredIdentity = z.infer<typeof StoredIdentity>;
const LegacyIdentity = StoredIdentity.extend({ version: z.literal(1), privateKey: z.string() });

export const PRIVATE_KEY_ENTRY = 'identity.privateKey';

/** Same derivation as the server's (a hash of the raw key); the server's `authed` confirms it. */
export function userIdFor(publicKeyBase64: string): string {
  const raw = Buffer.from(publicKeyBase64, 'base64');
  return `u_${crypto.createHash('sha256').update(raw).digest('hex').slice(0, 32)}`;
}

export class IdentityKeystore {
  private readonly file: string;
  private stored: StoredIdentity | null;

  constructor(
    dataDir: string,
    private readonly keystore: Keystore,
  ) {
    this.file = path.join(dataDir, 'keys', 'identity.json');
    this.stored = this.load();
  }

  get(): Identity | null {
    const s = this.stored;
    if (!s) return null;
    // An open keystore without the key: it was reset, so this identity cannot sign any more.
    if (this.keystore.status().state === 'open' && !this.keystore.has(PRIVATE_KEY_ENTRY))
      return null;
    return {
      userId: userIdFor(s.publicKey),
      displayName: s.displayName,
      publicKey: s.publicKey,
      fingerprint: fingerprintFromSha256(
        crypto.createHash('sha256').update(Buffer.from(s.publicKey, 'base64')).digest('hex'),
        'user',
      ),
      createdAt: s.createdAt,
    };
  }

  /** Creates the key pair on first use; later calls only change the display name. */
  create(displayName: string): Identity {
    if (this.get()) {
      this.stored = { ...this.stored!, displayName };
    } else {
      const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
      const spki = publicKey.export({ format: 'der', type: 'spki' });
      this.keystore.set(PRIVATE_KEY_ENTRY, privateKey.export({ format: 'der', type: 'pkcs8' }));
      this.stored = {
        version: 2,
        displayName,
        // The raw 32-byte key is the last 32 bytes of its SPKI encoding.
        publicKey: spki.subarray(spki.length - 32).toString('base64'),
        createdAt: Date.now(),
      };
    }
    this.save(this.stored);
    return this.get()!;
  }

  /** Signs `text` with the private key (base64 signature). */
  sign(text: string): string {
    const der = this.stored && this.keystore.get(PRIVATE_KEY_ENTRY);
    if (!der) throw new Error('no identity yet');
    const key = crypto.createPrivateKey({
      key: der,
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
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    const legacy = LegacyIdentity.safeParse(json);
    if (legacy.success) {
      const { privateKey, ...rest } = legacy.data;
      const moved: StoredIdentity = { ...rest, version: 2 };
      // Moved at the first start with an open keystore; until then the file stays as it is.
      if (this.keystore.status().state !== 'open') return moved;
      this.keystore.set(PRIVATE_KEY_ENTRY, Buffer.from(privateKey, 'base64'));
      this.save(moved);
      return moved;
    }
    const parsed = StoredIdentity.safeParse(json);
    if (parsed.success) return parsed.data;
    // A damaged file must not stop the app: keep it aside; the user registers again.
    fs.renameSync(this.file, `${this.file}.damaged-${Date.now()}`);
    return null;
  }

  private save(value: StoredIdentity): void {
    writePrivateFile(this.file, JSON.stringify(value));
  }
}
