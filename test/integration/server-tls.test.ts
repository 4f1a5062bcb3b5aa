/**
 * The server with a certificate: HTTPS with HSTS and the security headers, wss:// for clients
 * that trust the certificate, and a refusal to start with half a TLS configuration.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { startSignalingServer } from '../../src-server/signaling-server';
import { readServerConfig } from '../../src-server/config';
import { silentLogger } from '../../src-shared/log';
import { makeTempDir } from '../support/temp-dir';
import { helloFor } from '../support/protocol-client';
import { connectFrames } from '../support/ws-client';

function get(
  url: string,
  ca: Buffer,
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) =>
    https
      .get(url, { ca }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      })
      .on('error', reject),
  );
}

describe('server over TLS', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('serves HTTPS with HSTS and security headers, and wss:// to a client that trusts it', async () => {
    const cert = path.join(temp.dir, 'cert.pem');
    const key = path.join(temp.dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-days',
        '1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const server = await startSignalingServer(
      {
        host: '127.0.0.1',
        port: 0,
        dataDir: path.join(temp.dir, 'server'),
        tlsCertFile: cert,
        tlsKeyFile: key,
      },
      silentLogger,
    );
    expect(server.url).toMatch(/^wss:\/\//);
    const ca = fs.readFileSync(cert);
    const health = await get(`${server.httpUrl}/healthz`, ca);
    expect(health.status).toBe(200);
    expect(health.headers).toMatchObject({
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': expect.stringContaining("default-src 'none'"),
    });
    const client = await connectFrames(server.url, { ca });
    client.send(helloFor(server.url, 'tls'));
    expect(await client.next((f) => f.t === 'welcome')).toBeTruthy();
    client.close();
    // A client that does not trust the certificate is refused by TLS itself.
    await expect(connectFrames(server.url)).rejects.toThrow(/self.signed|certificate/i);
    await server.close();
  });

  it('refuses half a TLS configuration', () => {
    expect(() => readServerConfig(['--tls-cert', '/x/cert.pem'], {})).toThrow(
      /both --tls-cert and --tls-key/,
    );
  });
});
