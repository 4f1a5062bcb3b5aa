/**
 * Authenticated encryption of small values and whole files: AES-256-GCM with a random 96-bit
 * nonce per value. The associated data binds a value to its name, so a sealed value copied into
 * another entry does not open there.
 *
 * Layout: version (1 byte) | nonce (12) | tag (16) | ciphertext.
 */
import crypto from 'node:crypto';

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;
const HEADER_BYTES = 1 + NONCE_BYTES + TAG_BYTES;

/** The value was not sealed with this key and name, or it was changed after sealing. */
export class SealError extends Error {
  constructor(message = 'the sealed value does not open with this key (wrong key or tampered)') {
    super(message);
    this.name = 'SealError';
  }
}

export function randomKey(): Buffer {
  return crypto.randomBytes(KEY_BYTES);
}

function checkKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`keys are ${KEY_BYTES} bytes`);
}

export function seal(key: Buffer, plaintext: Buffer, associatedData = ''): Buffer {
  checkKey(key);
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, sealed: Buffer, associatedData = ''): Buffer {
  checkKey(key);
  if (sealed.length < HEADER_BYTES || sealed[0] !== VERSION) throw new SealError();
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + NONCE_BYTES));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(sealed.subarray(1 + NONCE_BYTES, HEADER_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    throw new SealError();
  }
}

/** scrypt parameters stored beside a passphrase-wrapped key, so they can be raised later. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}
export const DEFAULT_SCRYPT: ScryptParams = { N: 1 << 15, r: 8, p: 1 };

/** A key from a passphrase (scrypt; ~100 ms at the default cost, memory-hard). */
export function keyFromPassphrase(
  passphrase: string,
  salt: Buffer,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    crypto.scrypt(
      passphrase.normalize('NFKC'),
      salt,
      KEY_BYTES,
      { ...params, maxmem: 256 * params.N * params.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}
