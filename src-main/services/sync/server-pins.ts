/**
 * The servers this app trusts, by address: the identity key each one showed the first time it was
 * met (trust on first use, or the fingerprint an invite carried, or the embedded server's own).
 * A server that later shows another key at that address is refused until the user accepts the
 * new one; a fallback server must show the same key as the first server of its list (a cluster's
 * nodes share one identity). Kept in `server-pins.json` in the data directory.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { dialedAddress, fingerprintFromSha256 } from '../../../src-shared/protocol/entities';

/**
 * How the TLS of a wss:// address is checked once known: `pinned`, against the certificate the
 * server vouched for in its welcome (self-signed ones); `ca`, by the system's certificate
 * authorities (a server behind a proxy that does its TLS).
 */
const TlsPin = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('pinned'), pem: z.string(), sha256: z.string() }),
  z.object({ mode: z.literal('ca') }),
]);
export type TlsPin = z.infer<typeof TlsPin>;
const Pin = z.object({
  /** The server's identity key; null while only an invite's fingerprint is known. */
  key: z.string().nullable(),
  fingerprint: z.string(),
  pinnedAt: z.number(),
  tls: TlsPin.optional(),
});
const PinFile = z.record(z.string(), Pin);
export type ServerPin = z.infer<typeof Pin>;

export type PinCheck =
  | { state: 'pinned' | 'new'; fingerprint: string }
  | { state: 'changed'; fingerprint: string; expected: string; pinnedFor: string };

/** A fingerprint as people see it ("3f2a 91c0 …"), from any spelling of its 40 hex digits. */
export function spacedFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  return fingerprintFromSha256(hex, 'server');
}

export function serverFingerprint(publicKeyBase64: string): string {
  const hex = crypto
    .createHash('sha256')
    .update(Buffer.from(publicKeyBase64, 'base64'))
    .digest('hex');
  return fingerprintFromSha256(hex, 'server');
}

export class ServerPins {
  private pins: Record<string, ServerPin>;
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'server-pins.json');
    this.pins = this.read();
  }

  /**
   * Whether `key`, shown at `url`, is the server the user trusts there. `primary` is the first
   * server of the list `url` belongs to (itself, or the server a fallback stands in for).
   */
  check(url: string, key: string, primary: string = url): PinCheck {
    const fingerprint = serverFingerprint(key);
    const own = this.pins[dialedAddress(url)];
    const reference = own ?? this.pins[dialedAddress(primary)];
    if (!reference) {
      this.set(url, key);
      return { state: 'new', fingerprint };
    }
    // Known from an invite: the first key shown must be the one its fingerprint names.
    if (reference.key === null && reference.fingerprint === fingerprint) {
      this.set(url, key);
      return { state: 'pinned', fingerprint };
    }
    if (reference.key !== key)
      return {
        state: 'changed',
        fingerprint,
        expected: reference.fingerprint,
        pinnedFor: own ? url : primary,
      };
    if (!own) this.set(url, key);
    return { state: 'pinned', fingerprint };
  }

  /** Trusts `key` at `url` from now on (first use, an invite, or the user accepting a change). */
  set(url: string, key: string): void {
    const address = dialedAddress(url);
    const before = this.pins[address];
    this.pins[address] = {
      key,
      fingerprint: serverFingerprint(key),
      pinnedAt: Date.now(),
      // A certificate vouched for by the same key stays trusted; another key's does not.
      ...(before?.key === key && before.tls ? { tls: before.tls } : {}),
    };
    this.write();
  }

  /**
   * An invite named the server at `url` by its key's fingerprint: the first key it shows there
   * must be that one (a different server is refused in words). Replaces what was trusted there.
   */
  expect(url: string, fingerprint: string): void {
    const spaced = spacedFingerprint(fingerprint);
    const before = this.pins[dialedAddress(url)];
    if (before?.fingerprint === spaced) return;
    this.pins[dialedAddress(url)] = { key: null, fingerprint: spaced, pinnedAt: Date.now() };
    this.write();
  }

  /** How TLS at `url` is checked (null: not known yet; the first welcome decides). */
  tls(url: string): TlsPin | null {
    return this.pins[dialedAddress(url)]?.tls ?? null;
  }

  /** Records the TLS the server at `url` vouched for (only for an address with a pinned key). */
  setTls(url: string, tls: TlsPin): void {
    const pin = this.pins[dialedAddress(url)];
    if (!pin?.key || JSON.stringify(pin.tls) === JSON.stringify(tls)) return;
    pin.tls = tls;
    this.write();
  }

  private write(): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(this.pins, null, 2), { mode: 0o600 });
    fs.renameSync(temp, this.file);
  }

  get(url: string): ServerPin | null {
    return this.pins[dialedAddress(url)] ?? null;
  }

  private read(): Record<string, ServerPin> {
    try {
      const parsed = PinFile.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }
}
