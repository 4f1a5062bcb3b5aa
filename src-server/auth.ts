/**
 * Who is on a connection: Ed25519 challenge verification and the server's session tokens.
 * A token is `base64url(JSON {u, e}).base64url(HMAC-SHA256)` with a secret kept in the data
 * directory, so tokens outlive a restart of the server but not a change of secret.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The user id for a raw Ed25519 public key (base64): a hash, so it cannot be chosen. */
export function userIdFromPublicKey(publicKeyBase64: string): string {
  const raw = Buffer.from(publicKeyBase64, 'base64');
  return `u_${crypto.createHash('sha256').update(raw).digest('hex').slice(0, 32)}`;
}

/** True when `signature` (base64) is `publicKey`'s Ed25519 signature of `text`. */
export function verifySignature(publicKeyBase64: string, text: string, signature: string): boolean {
  try {
    const raw = Buffer.from(publicKeyBase64, 'base64');
    if (raw.length !== 32) return false;
    const key = crypto.createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, raw]),
      format: 'der',
      type: 'spki',
    });
    return crypto.verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export function newNonce(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export type TokenCheck =
  { ok: true; userId: string; expiresAt: number } | { ok: false; reason: 'invalid' | 'expired' };

export class TokenIssuer {
  private readonly secret: Buffer;

  constructor(
    dataDir: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.secret = loadSecret(path.join(dataDir, 'token-secret'));
  }

  issue(userId: string): { token: string; expiresAt: number } {
    const expiresAt = this.now() + this.ttlMs;
    const payload = Buffer.from(JSON.stringify({ u: userId, e: expiresAt })).toString('base64url');
    return { token: `${payload}.${this.mac(payload)}`, expiresAt };
  }

  check(token: string): TokenCheck {
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return { ok: false, reason: 'invalid' };
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given))
      return { ok: false, reason: 'invalid' };
    let body: { u?: unknown; e?: unknown };
    try {
      body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    if (typeof body.u !== 'string' || typeof body.e !== 'number')
      return { ok: false, reason: 'invalid' };
    if (body.e <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, userId: body.u, expiresAt: body.e };
  }

  private mac(payload: string): string {
    return crypto.createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

function loadSecret(file: string): Buffer {
  try {
    const existing = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (existing.length === 32) return existing;
  } catch {
    // first start: create one below
  }
  const secret = crypto.randomBytes(32);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, secret.toString('base64') + '\n', { mode: 0o600 });
  return secret;
}
