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

const Pin = z.object({ key: z.string(), fingerprint: z.string(), pinnedAt: z.number() });
const PinFile = z.record(z.string(), Pin);
export type ServerPin = z.infer<typeof Pin>;

export type PinCheck =
  | { state: 'pinned' | 'new'; fingerprint: string }
  | { state: 'changed'; fingerprint: string; expected: string; pinnedFor: string };

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
    this.pins[dialedAddress(url)] = {
      key,
      fingerprint: serverFingerprint(key),
      pinnedAt: Date.now(),
    };
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
