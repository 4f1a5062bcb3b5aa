import path from 'node:path';
import { createNodePlatform } from '../../src-main/platform/node-platform';
import { startWebHost, type RunningWebHost } from '../../src-main/web/web-host';
import { silentLogger } from '../../src-shared/log';
import { makeTempDir } from '../support/temp-dir';
import { ROOT } from '../support/processes';
import { connectFrames } from '../support/ws-client';

// Uses the built renderer in dist/ (npm test builds first).
describe('browser host bridge', () => {
  const temp = makeTempDir();
  let host: RunningWebHost;
  let origin: string;
  let bridgeUrl: string;

  beforeAll(async () => {
    host = await startWebHost({
      port: 0,
      dataDir: temp.dir,
      serverUrl: null,
      rendererDir: path.join(ROOT, 'dist', 'renderer'),
      webPreloadFile: path.join(ROOT, 'dist', 'preload', 'web-preload.js'),
      platform: createNodePlatform(),
      logger: silentLogger,
    });
    origin = host.url.replace(/\/$/, '');
    bridgeUrl = `${origin.replace('http', 'ws')}/bridge`;
  });
  afterAll(async () => {
    await host.close();
    temp.cleanup();
  });

  it('serves the renderer with its CSP and the preload injected', async () => {
    const response = await fetch(host.url);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ${bridgeUrl}`);
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    // Only the speech engine's worker may eval, under a CSP of its own that fetches nothing else.
    const worker = await fetch(`${origin}/vosk-worker.js`);
    expect(worker.status).toBe(200);
    const workerCsp = worker.headers.get('content-security-policy') ?? '';
    expect(workerCsp).toContain("'unsafe-eval'");
    expect(workerCsp).toContain("connect-src 'self'");
    const html = await response.text();
    expect(html.indexOf('/web-preload.js')).toBeGreaterThan(0);
    expect(html.indexOf('/web-preload.js')).toBeLessThan(html.indexOf('type="module"'));
    expect((await fetch(`${origin}/web-preload.js`)).status).toBe(200);
    expect((await fetch(`${origin}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${origin}/..%2f..%2fpackage.json`)).status).not.toBe(200);
    expect((await fetch(host.url, { method: 'POST' })).status).toBe(405);
  });

  it('refuses sockets from other origins or without one', async () => {
    await expect(connectFrames(bridgeUrl, { origin: 'http://evil.example' })).rejects.toThrow(
      'HTTP 403',
    );
    await expect(connectFrames(bridgeUrl, { origin: 'http://127.0.0.1:1' })).rejects.toThrow(
      'HTTP 403',
    );
    await expect(connectFrames(bridgeUrl)).rejects.toThrow('HTTP 403');
    await expect(
      connectFrames(`${origin.replace('http', 'ws')}/other`, { origin }),
    ).rejects.toThrow('HTTP 404');
  });

  it('answers calls from its own page and replies to bad frames with typed errors', async () => {
    const client = await connectFrames(bridgeUrl, { origin });
    client.send({ kind: 'call', id: 1, channel: 'app.ping', input: { sentAt: 5 } });
    expect(await client.next((f) => f.id === 1)).toMatchObject({
      kind: 'result',
      result: { ok: true, value: { sentAt: 5 } },
    });

    client.sendText('not json');
    expect(await client.next()).toMatchObject({
      kind: 'result',
      id: null,
      result: { ok: false, error: { code: 'malformed_frame' } },
    });
    client.send({ kind: 'call', id: 2 });
    expect(await client.next()).toMatchObject({
      id: 2,
      result: { ok: false, error: { code: 'malformed_frame', issues: [{ path: 'channel' }] } },
    });
    client.send({ kind: 'call', id: 3, channel: 'files.deleteAll' });
    expect(await client.next()).toMatchObject({
      id: 3,
      result: { ok: false, error: { code: 'unknown_channel' } },
    });
    client.send({ kind: 'call', id: 4, channel: 'settings.update', input: { language: 'xx' } });
    expect(await client.next()).toMatchObject({
      id: 4,
      result: { ok: false, error: { code: 'invalid_input', issues: [{ path: 'language' }] } },
    });

    // Still working, and events reach the page.
    client.send({ kind: 'call', id: 5, channel: 'settings.update', input: { language: 'ru' } });
    expect(
      await client.next((f) => f.kind === 'event' && f.name === 'settings.changed'),
    ).toMatchObject({ payload: { language: 'ru' } });
    expect(await client.next((f) => f.id === 5)).toMatchObject({
      result: { ok: true, value: { language: 'ru' } },
    });
    client.close();
  });
});
