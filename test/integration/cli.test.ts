import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { makeTempDir } from '../support/temp-dir';
import { startServer, startWebHost, startChild } from '../support/processes';
import { hostAccess } from '../support/host-access';
import { connectFrames, waitFor } from '../support/ws-client';

// The built entry points, as `npm run server` and `npm run web` start them.
describe('command-line entry points', () => {
  it('server: prints its wss URL, the invite base and fingerprint, keeps its certificate, stops on SIGTERM with 0', async () => {
    const temp = makeTempDir();
    const server = await startServer(temp.dir);
    expect(server.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/ws$/);
    // Without --tls-cert/--tls-key it made a self-signed pair and keeps it in its data dir.
    const ca = fs.readFileSync(path.join(temp.dir, 'tls-cert.pem'));
    const health = await new Promise<string>((resolve, reject) =>
      https
        .get(server.url.replace('wss:', 'https:').replace(/\/ws$/, '/healthz'), { ca }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve(body));
        })
        .on('error', reject),
    );
    expect(JSON.parse(health)).toMatchObject({ status: 'ok' });
    await waitFor(() => server.output().includes('fingerprint:'), 5000, 'the fingerprint line');
    const fingerprint = /^fingerprint: ((?:[0-9a-f]{4} ){9}[0-9a-f]{4})$/m.exec(
      server.output(),
    )?.[1];
    expect(fingerprint).toBeDefined();
    // The invite base names this server and its identity (loopback here: it listens there only).
    const port = new URL(server.url).port;
    expect(server.output()).toContain(
      `invite base: beseda://join/127.0.0.1:${port}/<code>#${fingerprint!.replace(/ /g, '')}`,
    );
    const client = await connectFrames(server.url, { ca });
    expect(await server.stop()).toBe(0);
    expect((await client.closed).code).toBe(1001);
    expect(server.log()).toContain('"msg":"server stopped"');
    // The same certificate at the next start: apps that pinned it keep trusting it.
    const again = await startServer(temp.dir);
    expect(fs.readFileSync(path.join(temp.dir, 'tls-cert.pem'))).toEqual(ca);
    await waitFor(() => again.output().includes('fingerprint:'), 5000, 'the fingerprint line');
    expect(again.output()).toContain(`fingerprint: ${fingerprint}`);
    await again.stop();
    temp.cleanup();
  });

  it('server: --tls off speaks plain ws (behind a proxy that does TLS)', async () => {
    const temp = makeTempDir();
    const server = await startServer(temp.dir, ['--tls', 'off']);
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    const health = await fetch(server.url.replace('ws:', 'http:').replace(/\/ws$/, '/healthz'));
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect(fs.existsSync(path.join(temp.dir, 'tls-cert.pem'))).toBe(false);
    expect(await server.stop()).toBe(0);
    temp.cleanup();
  });

  it('server: refuses a bad option with exit code 2 and a message', async () => {
    await expect(startChild('dist/server/server.cjs', ['--port', 'many'])).rejects.toThrow(
      /exited \(2\)[\s\S]*port/,
    );
  });

  it('web host: prints its http URL, connects to a --server given for the run, stops cleanly', async () => {
    const serverDir = makeTempDir();
    const hostDir = makeTempDir();
    const server = await startServer(serverDir.dir);
    const host = await startWebHost(hostDir.dir, ['--server', server.url]);
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?key=[A-Za-z0-9_-]{43}$/);
    const access = hostAccess(host.url);
    const bridge = await connectFrames(access.bridgeUrl, access.socketOptions);
    let status: Record<string, unknown> = {};
    for (let i = 0; i < 100 && status.state !== 'online'; i++) {
      bridge.send({ kind: 'call', id: i, channel: 'connection.status' });
      const reply = await bridge.next<{ id: number; result: { value: Record<string, unknown> } }>(
        (f) => f.id === i,
      );
      status = reply.result.value;
      if (status.state !== 'online') await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toMatchObject({
      state: 'online',
      url: server.url,
      source: 'override',
      embedded: false,
    });
    expect(await host.stop()).toBe(0);
    expect(host.log()).toContain('"msg":"services stopped"');
    await server.stop();
    serverDir.cleanup();
    hostDir.cleanup();
  });
});
