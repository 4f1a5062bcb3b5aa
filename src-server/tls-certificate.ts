/**
 * The server's TLS certificate: the operator's files (--tls-cert/--tls-key), or a self-signed pair
 * the server makes at its first start and keeps in its data directory (`tls-cert.pem`,
 * `tls-key.pem`, 0600). A self-signed certificate needs no certificate authority: the server signs
 * its certificate's hash into every welcome with its identity key, which clients pin (from an
 * invite or at first use), so the certificate is exactly as trusted as the key.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  /** SHA-256 (hex) of the (first) certificate's DER: what clients compare with the welcome. */
  sha256: string;
}

export function certificateSha256(pem: string | Buffer): string {
  const der = new crypto.X509Certificate(pem).raw;
  return crypto.createHash('sha256').update(der).digest('hex');
}

export function readTlsFiles(certFile: string, keyFile: string): TlsMaterial {
  const cert = fs.readFileSync(certFile);
  return { cert, key: fs.readFileSync(keyFile), sha256: certificateSha256(cert) };
}

/** This machine's names and addresses, for the certificate's subjectAltName. */
function localAltNames(): Array<{ type: 2; value: string } | { type: 7; ip: string }> {
  const hostname = os.hostname().toLowerCase();
  const dns = new Set(['localhost']);
  if (hostname) {
    dns.add(hostname);
    dns.add(`${hostname.split('.')[0]}.local`);
  }
  const ips = new Set(['127.0.0.1', '::1']);
  for (const list of Object.values(os.networkInterfaces()))
    for (const entry of list ?? []) if (!entry.address.includes('%')) ips.add(entry.address);
  return [
    ...[...dns].map((value) => ({ type: 2 as const, value })),
    ...[...ips].map((ip) => ({ type: 7 as const, ip })),
  ];
}

/** Loads the self-signed pair from `dataDir`, making it on first use. */
export async function selfSignedTls(dataDir: string, commonName: string): Promise<TlsMaterial> {
  const certFile = path.join(dataDir, 'tls-cert.pem');
  const keyFile = path.join(dataDir, 'tls-key.pem');
  try {
    return readTlsFiles(certFile, keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const notBeforeDate = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const notAfterDate = new Date(notBeforeDate);
  notAfterDate.setFullYear(notAfterDate.getFullYear() + 20);
  // Loaded only here: the certificate library is large and most starts never make a certificate.
  const { generate } = await import('selfsigned');
  const pems = await generate(
    [{ name: 'commonName', value: commonName.slice(0, 64) || 'beseda' }],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate,
      notAfterDate,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: localAltNames() },
      ],
    },
  );
  // The key first: a certificate without its key would be of no use at the next start.
  for (const [file, text] of [
    [keyFile, pems.private],
    [certFile, pems.cert],
  ] as const) {
    fs.writeFileSync(`${file}.new`, text, { mode: 0o600 });
    fs.renameSync(`${file}.new`, file);
  }
  return readTlsFiles(certFile, keyFile);
}
