import fs from 'node:fs';
import path from 'node:path';
import { createNodePlatform } from '../../src-main/platform/node-platform';
import { startWebHost, type RunningWebHost } from '../../src-main/web/web-host';
import { silentLogger } from '../../src-shared/log';
import { makeTempDir } from '../support/temp-dir';
import { ROOT } from '../support/processes';
import { connectFrames } from '../support/ws-client';
import { hostAccess, type HostAccess } from '../support/host-access';

// Uses the built renderer in dist/ (npm test builds first).
describe('browser host bridge', () => {
  const temp = makeTempDir();
  let host: RunningWebHost;
  let origin: string;
  let bridgeUrl: string;
  let access: HostAccess;
  /** fetch as the page does once its printed URL has set the cookie. */
  const pageFetch = (url: string, init: RequestInit = {}) =>
    fetch(url, { ...init, headers: { Cookie: access.cookie } });

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
    access = hostAccess(host.url);
    origin = access.origin;
    bridgeUrl = access.bridgeUrl;
  });
  afterAll(async () => {
    await host.close();
    temp.cleanup();
  });

  it('turns the printed key into an HttpOnly SameSite=Strict cookie and serves only with it', async () => {
    const opened = await fetch(host.url, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/');
    const cookie = opened.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      /^beseda_host_\d+=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/,
    );
    expect(cookie.split(';')[0]).toBe(access.cookie);
    // Without the cookie: nothing, not even the page (recordings and models are served here too).
    expect((await fetch(`${origin}/`)).status).toBe(401);
    expect((await fetch(`${origin}/?key=wrong`)).status).toBe(401);
    expect((await fetch(`${origin}/vosk-worker.js`)).status).toBe(401);
    expect((await pageFetch(`${origin}/`)).status).toBe(200);
  });

  it('serves the renderer with its CSP and the preload injected', async () => {
    const response = await pageFetch(`${origin}/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ${bridgeUrl}`);
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    // Only the speech engine's worker may eval, under a CSP of its own that fetches nothing else.
    const worker = await pageFetch(`${origin}/vosk-worker.js`);
    expect(worker.status).toBe(200);
    const workerCsp = worker.headers.get('content-security-policy') ?? '';
    expect(workerCsp).toContain("'unsafe-eval'");
    expect(workerCsp).toContain("connect-src 'self'");
    // The voice detector's worker may compile WebAssembly, and not eval.
    const vad = await pageFetch(`${origin}/vad-worker.js`);
    expect(vad.status).toBe(200);
    const vadCsp = vad.headers.get('content-security-policy') ?? '';
    expect(vadCsp).toContain("'wasm-unsafe-eval'");
    expect(vadCsp).not.toContain("'unsafe-eval'");
    expect((await pageFetch(`${origin}/vad/silero_vad_v5.onnx`)).status).toBe(200);
    const html = await response.text();
    expect(html.indexOf('/web-preload.js')).toBeGreaterThan(0);
    expect(html.indexOf('/web-preload.js')).toBeLessThan(html.indexOf('type="module"'));
    expect((await pageFetch(`${origin}/web-preload.js`)).status).toBe(200);
    expect((await pageFetch(`${origin}/assets/missing.js`)).status).toBe(404);
    expect((await pageFetch(`${origin}/..%2f..%2fpackage.json`)).status).not.toBe(200);
    expect((await pageFetch(`${origin}/`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a local process that forges the Origin but has not the key', async () => {
    // The reviewer's attack: any local program can send the page's own Origin header.
    await expect(connectFrames(bridgeUrl, { origin })).rejects.toThrow('HTTP 401');
    await expect(
      connectFrames(bridgeUrl, {
        origin,
        headers: { Cookie: `${access.cookie.split('=')[0]}=guess` },
      }),
    ).rejects.toThrow('HTTP 401');
    // With the key, still only from the host's own Origin.
    const withKey = (o?: string) => ({
      headers: { Cookie: access.cookie },
      ...(o ? { origin: o } : {}),
    });
    await expect(connectFrames(bridgeUrl, withKey('http://evil.example'))).rejects.toThrow(
      'HTTP 403',
    );
    await expect(connectFrames(bridgeUrl, withKey('http://127.0.0.1:1'))).rejects.toThrow(
      'HTTP 403',
    );
    await expect(connectFrames(bridgeUrl, withKey())).rejects.toThrow('HTTP 403');
    await expect(
      connectFrames(`${origin.replace('http', 'ws')}/other`, access.socketOptions),
    ).rejects.toThrow('HTTP 404');
  });

  it('never overwrites an existing file with an export unless told that file may go', async () => {
    const client = await connectFrames(bridgeUrl, access.socketOptions);
    let id = 100;
    const callIt = async (channel: string, input?: unknown) => {
      const rid = ++id;
      client.send({ kind: 'call', id: rid, channel, input });
      return client.next<{
        id: number;
        result: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
      }>((f) => f.id === rid, 30_000);
    };
    const created = await callIt('backups.create');
    expect(created.result.ok).toBe(true);
    const backupId = (created.result.value as { id: string }).id;
    const victim = path.join(temp.dir, 'precious.txt');
    fs.writeFileSync(victim, 'keep me');
    const refused = await callIt('backups.export', { id: backupId, path: victim });
    expect(refused.result.error?.code).toBe('conflict');
    expect(refused.result.error?.message).toMatch(/exists already/);
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
    // A new name is written; the confirmed file is replaced.
    const fresh = path.join(temp.dir, 'export.tdbackup');
    expect((await callIt('backups.export', { id: backupId, path: fresh })).result.ok).toBe(true);
    expect(fs.statSync(fresh).size).toBeGreaterThan(100);
    const replaced = await callIt('backups.export', {
      id: backupId,
      path: victim,
      overwrite: true,
    });
    expect(replaced.result.ok).toBe(true);
    expect(fs.readFileSync(victim, 'utf8')).not.toBe('keep me');
    client.close();
  });

  it('answers calls from its own page and replies to bad frames with typed errors', async () => {
    const client = await connectFrames(bridgeUrl, access.socketOptions);
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

  it('serves the page while its services start, and answers the first calls once they run', async () => {
    const dir = makeTempDir();
    let databaseAtListening: boolean | null = null;
    let firstCall: Promise<{ page: number; reply: unknown }> | null = null;
    const starting = startWebHost({
      port: 0,
      dataDir: dir.dir,
      serverUrl: null,
      rendererDir: path.join(ROOT, 'dist', 'renderer'),
      webPreloadFile: path.join(ROOT, 'dist', 'preload', 'web-preload.js'),
      platform: createNodePlatform(),
      logger: silentLogger,
      onListening: (url) => {
        // The services have not started yet: their database is not on disk.
        databaseAtListening = fs.existsSync(path.join(dir.dir, 'beseda.db'));
        const early = hostAccess(url);
        firstCall = (async () => {
          const page = await fetch(`${early.origin}/`, { headers: { Cookie: early.cookie } });
          const client = await connectFrames(early.bridgeUrl, early.socketOptions);
          client.send({ kind: 'call', id: 1, channel: 'settings.get' });
          const reply = await client.next((f) => f.id === 1);
          client.close();
          return { page: page.status, reply };
        })();
      },
    });
    const started = await starting;
    try {
      expect(databaseAtListening).toBe(false);
      expect(await firstCall).toMatchObject({
        page: 200,
        reply: { kind: 'result', result: { ok: true, value: { language: 'system' } } },
      });
    } finally {
      await started.close();
      dir.cleanup();
    }
  });
});
