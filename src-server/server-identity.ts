/**
 * The server's identity: an Ed25519 key kept in its data directory (`server-key`, 0600). Clients
 * pin it per address the first time they meet it (or from an invite) and refuse a server that
 * shows another; a cluster's nodes share one key file, so they are one server to the app.
 *
 * It also knows the names the server may be reached by. A client says which address it dialed
 * (hello) and signs that address into its sign-in; a server refuses a name that is not its own,
 * so a second server that relays a client's handshake to this one gets nothing from it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fingerprintFromSha256 } from '../src-shared/protocol/entities';

/** The fingerprint of a raw Ed25519 key (base64), as people compare it. */
export function keyFingerprint(publicKeyBase64: string, kind: 'server' | 'user'): string {
  const hex = crypto
    .createHash('sha256')
    .update(Buffer.from(publicKeyBase64, 'base64'))
    .digest('hex');
  return fingerprintFromSha256(hex, kind);
}

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface ServerIdentity {
  /** Raw Ed25519 public key, base64. */
  readonly publicKey: string;
  readonly fingerprint: string;
  sign(text: string): string;
}

/** Loads the server key from `dataDir`, making one on first start. */
export function loadServerIdentity(dataDir: string): ServerIdentity {
  const file = path.join(dataDir, 'server-key');
  let privateKey: crypto.KeyObject;
  try {
    privateKey = crypto.createPrivateKey(fs.readFileSync(file, 'utf8'));
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`${file} is not a usable server key: ${(error as Error).message}`, {
        cause: error,
      });
    privateKey = crypto.generateKeyPairSync('ed25519').privateKey;
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    fs.writeFileSync(`${file}.new`, pem, { mode: 0o600 });
    fs.renameSync(`${file}.new`, file);
  }
  const spki = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = spki.subarray(SPKI_PREFIX.length).toString('base64');
  return {
    publicKey,
    fingerprint: keyFingerprint(publicKey, 'server'),
    sign: (text) => crypto.sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64'),
  };
}

/** The host names and addresses of this machine (loopback included). */
function machineNames(): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '::1']);
  const hostname = os.hostname().toLowerCase();
  if (hostname) {
    names.add(hostname);
    names.add(`${hostname.split('.')[0]}.local`);
  }
  for (const list of Object.values(os.networkInterfaces()))
    for (const entry of list ?? []) names.add(entry.address.toLowerCase().replace(/%.*$/, ''));
  return names;
}

/** Names in a PEM certificate's subjectAltName (DNS and IP entries). */
export function certificateNames(pem: string | Buffer): string[] {
  try {
    const cert = new crypto.X509Certificate(pem);
    return (cert.subjectAltName ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .flatMap((entry) => {
        const match = /^(DNS|IP Address):(.+)$/.exec(entry);
        return match ? [match[2]!.toLowerCase()] : [];
      });
  } catch {
    return [];
  }
}

export interface ServerNames {
  /** Whether a client that says it dialed `url` reached this server by a name of its own. */
  accepts(url: string): boolean;
  /** The names, for the log and for error messages. */
  describe(): string[];
}

/**
 * The addresses this server answers as: any name of this machine or an address of one of its
 * interfaces at the port it listens on; each configured public URL (a proxy, a load balancer,
 * a port forward) exactly; and the names its TLS certificate covers, at its port.
 */
export function serverNames(options: {
  port: () => number;
  publicUrls: readonly string[];
  certificateNames: readonly string[];
}): ServerNames {
  const publicOrigins = new Set(
    options.publicUrls.flatMap((u) => {
      try {
        const url = new URL(u);
        return [`${url.hostname.toLowerCase()}:${url.port || defaultPort(url.protocol)}`];
      } catch {
        return [];
      }
    }),
  );
  const localNames = () => {
    const names = machineNames();
    for (const name of options.certificateNames) names.add(name);
    return names;
  };
  let cached: { at: number; names: Set<string> } | null = null;
  const names = () => {
    // Interfaces come and go (a laptop joins a network); looked at again now and then.
    if (!cached || Date.now() - cached.at > 10_000)
      cached = { at: Date.now(), names: localNames() };
    return cached.names;
  };
  return {
    accepts(dialed) {
      let url: URL;
      try {
        url = new URL(dialed);
      } catch {
        return false;
      }
      const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
      const port = Number(url.port || defaultPort(url.protocol));
      if (publicOrigins.has(`${host}:${port}`)) return true;
      if (port !== options.port()) return false;
      return names().has(host) || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::ffff:127.0.0.1';
    },
    describe: () => [...publicOrigins, ...[...names()].map((n) => `${n}:${options.port()}`)],
  };
}

function defaultPort(protocol: string): number {
  return protocol === 'wss:' || protocol === 'https:' ? 443 : 80;
}

/**
 * The addresses other computers can reach a server listening on `host` at: its public URLs when
 * it has any; else, listening on every interface, each non-internal address of this machine
 * (IPv4 first); else the one address it listens on.
 */
export function reachableUrls(options: {
  host: string;
  port: number;
  tls: boolean;
  publicUrls: readonly string[];
  path: string;
}): string[] {
  if (options.publicUrls.length) return [...options.publicUrls];
  const scheme = options.tls ? 'wss' : 'ws';
  const url = (address: string) =>
    `${scheme}://${address.includes(':') ? `[${address}]` : address}:${options.port}${options.path}`;
  if (options.host !== '0.0.0.0' && options.host !== '::') return [url(options.host)];
  const addresses = Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((entry) => !entry.internal && !entry.address.startsWith('fe80:'))
    // 0.0.0.0 listens on IPv4 only; '::' on both.
    .filter((entry) => options.host === '::' || entry.family === 'IPv4')
    .sort((a, b) => (a.family === b.family ? 0 : a.family === 'IPv4' ? -1 : 1))
    .map((entry) => url(entry.address));
  return addresses.length ? addresses : [url('127.0.0.1')];
}
