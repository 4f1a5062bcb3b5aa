import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchChromium } from '../support/chromium';
import { startServer, startWebHost, type ChildService } from '../support/processes';
import { makeTempDir } from '../support/temp-dir';

const SCREENS = ['chats', 'call', 'voice', 'analytics', 'health', 'settings'];

describe('the app in Chromium through the browser host', () => {
  let browser: Browser;
  const hosts: ChildService[] = [];
  const temps: ReturnType<typeof makeTempDir>[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(hosts.map((h) => h.stop()));
    temps.forEach((t) => t.cleanup());
  });

  async function host(
    extra: string[] = [],
    dataDir?: string,
  ): Promise<{ host: ChildService; dir: string }> {
    let dir = dataDir;
    if (!dir) {
      const temp = makeTempDir();
      temps.push(temp);
      dir = temp.dir;
    }
    const started = await startWebHost(dir, extra);
    hosts.push(started);
    return { host: started, dir };
  }

  async function open(url: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ locale: 'en-US' });
    const errors = collectPageErrors(page);
    await page.goto(url);
    await page.getByTestId('screen-chats').waitFor();
    return { page, errors };
  }

  it('loads with no console errors and reaches every screen through the navigation', async () => {
    const { host: h } = await host();
    const { page, errors } = await open(h.url);
    for (const screen of SCREENS) {
      await page.getByTestId(`nav-${screen}`).click();
      await page.getByTestId(`screen-${screen}`).waitFor({ state: 'visible' });
      expect(await page.getByTestId(`nav-${screen}`).getAttribute('aria-current')).toBe('page');
    }
    // Keyboard access: the navigation is reachable and usable with Tab and Enter.
    await page.getByTestId('nav-settings').focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('screen-health').waitFor();
    await page.getByTestId('connection-state').and(page.locator('[data-state="online"]')).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps what was typed on a screen whose code arrived after it was opened', async () => {
    const { host: h } = await host();
    const page = await browser.newPage({ locale: 'en-US' });
    const errors = collectPageErrors(page);
    // Hold the Settings screen's code back, so that it is opened before it is here (as on a slow
    // machine, where the background preload has not finished when the user clicks).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/assets\/SettingsScreen-[^/]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(h.url);
    await page.getByTestId('screen-chats').waitFor();
    await page.getByTestId('nav-settings').click();
    release();
    const field = page.getByTestId('backups-export-path');
    await field.fill('/tmp/typed-before-anything-else.tdbackup');
    // Anything that renders the app again (here the quick switcher opening and closing) must
    // leave the screen as it is, not mount it afresh.
    await page.keyboard.press('Control+K');
    await page.getByTestId('switcher-input').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('switcher').waitFor({ state: 'detached' });
    await expect(field.inputValue()).resolves.toBe('/tmp/typed-before-anything-else.tdbackup');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('applies a language change at once and keeps settings across a restart of the host', async () => {
    const first = await host();
    const { page } = await open(first.host.url);
    await page.getByTestId('connection-state').and(page.locator('[data-state="online"]')).waitFor();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-language').selectOption('ru');
    await page.getByTestId('settings-close-to-tray').uncheck();
    await page.getByTestId('settings-shortcut-toggleWindow').fill('Alt+F9');
    await page.getByTestId('settings-save').click();
    // Saved or refused: either way the form says so, and a refusal's words are the failure.
    const outcome = page.getByTestId('settings-saved').or(page.getByTestId('settings-error'));
    await outcome.waitFor().catch(async (error: Error) => {
      // Neither: say what the page and the host were doing, for the one who reads the failure.
      const form = await page.locator('form.settings .actions').innerHTML();
      const host = first.host
        .log()
        .split('\n')
        .filter((l) => /settings|bridge|error/i.test(l));
      throw new Error(`${error.message}\nform: ${form}\nhost: ${host.slice(-20).join('\n')}`);
    });
    expect({
      outcome: await outcome.getAttribute('data-testid'),
      words: await outcome.textContent(),
    }).toMatchObject({ outcome: 'settings-saved' });
    await expect(page.getByTestId('nav-chats').textContent()).resolves.toBe('Чаты');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    await page.close();

    expect(await first.host.stop()).toBe(0);
    const second = await host([], first.dir);
    const { page: again, errors } = await open(second.host.url);
    await expect(again.getByTestId('nav-settings').textContent()).resolves.toBe('Настройки');
    await again.getByTestId('nav-settings').click();
    await expect(again.getByTestId('settings-language').inputValue()).resolves.toBe('ru');
    await expect(again.getByTestId('settings-close-to-tray').isChecked()).resolves.toBe(false);
    await expect(again.getByTestId('settings-shortcut-toggleWindow').inputValue()).resolves.toBe(
      'Alt+F9',
    );
    // The browser host cannot register system-wide shortcuts and says so instead of pretending.
    await expect(
      again.getByTestId('settings-shortcut-status-toggleWindow').getAttribute('data-state'),
    ).resolves.toBe('unsupported');
    expect(errors).toEqual([]);
    await again.close();
  });

  it('follows the system theme, keeps a chosen one, and draws text and emoji with its own fonts', async () => {
    const { host: started } = await host();
    const { page, errors } = await open(started.url);
    const look = () =>
      page.evaluate(() => ({
        theme: document.documentElement.dataset.theme,
        background: getComputedStyle(document.body).backgroundColor,
        scheme: getComputedStyle(document.documentElement).colorScheme,
      }));
    const light = 'rgb(246, 247, 249)';
    const dark = 'rgb(22, 24, 28)';
    // "Same as the system": the system's preference decides, controls included.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(look()).resolves.toEqual({ theme: 'system', background: dark, scheme: 'dark' });
    await page.emulateMedia({ colorScheme: 'light' });
    await expect(look()).resolves.toMatchObject({ background: light, scheme: 'light' });
    // Dark chosen: dark whatever the system says.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-theme').selectOption('dark');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    await expect(look()).resolves.toEqual({ theme: 'dark', background: dark, scheme: 'dark' });
    // The bundled fonts are there and paint: emoji look the same on every machine (in colour).
    const fonts = await page.evaluate(async () => {
      await document.fonts.load('32px "Twemoji"', '🎉');
      await document.fonts.load('16px "Inter Variable"', 'Beseda');
      const canvas = document.createElement('canvas');
      const context = canvas.getContext('2d')!;
      context.font = '32px "Twemoji"';
      context.fillText('🎉', 0, 32);
      const pixels = context.getImageData(0, 0, 40, 40).data;
      let coloured = 0;
      for (let i = 0; i < pixels.length; i += 4)
        if (pixels[i + 3]! > 0 && (pixels[i] !== pixels[i + 1] || pixels[i + 1] !== pixels[i + 2]))
          coloured++;
      return {
        emoji: document.fonts.check('32px "Twemoji"', '🎉'),
        ui: document.fonts.check('16px "Inter Variable"', 'Beseda'),
        colouredPixels: coloured,
      };
    });
    expect(fonts).toMatchObject({ emoji: true, ui: true });
    expect(fonts.colouredPixels).toBeGreaterThan(50);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows what was wrong with a rejected setting and keeps the old value', async () => {
    const { host: h } = await host();
    const { page } = await open(h.url);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-server-remote').check();
    await page.getByTestId('settings-server-url').fill('http://not-a-websocket');
    await page.getByTestId('settings-save').click();
    // In words first; the validation text behind Details.
    await expect(page.getByTestId('settings-error').textContent()).resolves.toContain(
      'a server address starts with ws:// or wss://',
    );
    await expect(page.getByTestId('settings-error').textContent()).resolves.toMatch(
      /serverUrl: must be a ws:\/\/ or wss:\/\/ URL/,
    );
    await expect(page.getByText('serverUrl: must be', { exact: false }).isVisible()).resolves.toBe(
      false,
    );
    const stored = await page.evaluate(() => window.api.call('settings.get', undefined));
    expect(stored).toMatchObject({ ok: true, value: { serverUrl: null } });
    await page.close();
  });

  it('answers malformed calls over the bridge with typed errors, and the app keeps working', async () => {
    const { host: h } = await host();
    const { page, errors } = await open(h.url);
    const replies = await page.evaluate(async () => {
      const viaApi = await window.api.call('settings.update', { language: 'klingon' } as never);
      const unknown = await window.api.call('no.such.channel' as never, undefined as never);
      // A page of this origin speaking raw frames to the host, as a buggy or hostile script would.
      const raw = await new Promise<unknown[]>((resolve) => {
        const socket = new WebSocket(`ws://${location.host}/bridge`);
        const got: unknown[] = [];
        socket.onmessage = (m) => {
          // Events (the app's own, to every page) may come between the results.
          const frame = JSON.parse(String(m.data)) as { kind: string };
          if (frame.kind === 'result') got.push(frame);
          if (got.length === 3) {
            socket.close();
            resolve(got);
          }
        };
        socket.onopen = () => {
          socket.send('{"kind":"call",');
          socket.send(JSON.stringify({ kind: 'call', id: 'x', channel: 7 }));
          socket.send(
            JSON.stringify({
              kind: 'call',
              id: 9,
              channel: 'app.ping',
              input: { sentAt: 'never' },
            }),
          );
        };
      });
      return { viaApi, unknown, raw };
    });
    expect(replies.viaApi).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'language' }] },
    });
    expect(replies.unknown).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(replies.raw).toEqual([
      expect.objectContaining({
        result: expect.objectContaining({
          error: expect.objectContaining({ code: 'malformed_frame' }),
        }),
      }),
      expect.objectContaining({
        id: null,
        result: expect.objectContaining({
          error: expect.objectContaining({ code: 'malformed_frame' }),
        }),
      }),
      expect.objectContaining({
        id: 9,
        result: expect.objectContaining({
          error: expect.objectContaining({ code: 'invalid_input' }),
        }),
      }),
    ]);
    // Still alive: navigation and real calls work, and nothing was logged as an error in the page.
    await page.getByTestId('nav-health').click();
    await page.getByTestId('health-db-size').waitFor();
    expect(await page.evaluate(() => window.api.call('app.ping', { sentAt: 1 }))).toMatchObject({
      ok: true,
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the offline indicator while the server is down and clears it when it is back', async () => {
    const serverTemp = makeTempDir();
    temps.push(serverTemp);
    const server = await startServer(serverTemp.dir);
    const port = new URL(server.url).port;
    const { host: h } = await host(['--server', server.url]);
    const { page } = await open(h.url);
    await page.getByTestId('connection-state').and(page.locator('[data-state="online"]')).waitFor();
    expect(await page.getByTestId('offline-indicator').count()).toBe(0);

    const stoppedAt = Date.now();
    await server.stop();
    await page.getByTestId('offline-indicator').waitFor({ state: 'visible', timeout: 2000 });
    const shownAfterMs = Date.now() - stoppedAt;
    expect(shownAfterMs).toBeLessThan(2000);

    const back = await startServer(serverTemp.dir, ['--port', port]);
    hosts.push(back);
    await page.getByTestId('offline-indicator').waitFor({ state: 'detached', timeout: 15_000 });
    await page.close();
  });

  it('shows the real database size and process memory on the Health screen', async () => {
    const { host: h, dir } = await host();
    const { page } = await open(h.url);
    await page.getByTestId('nav-health').click();
    const size = page.getByTestId('health-db-size');
    await size.waitFor();
    const shown = Number(await size.getAttribute('data-bytes'));
    expect(shown).toBe(fs.statSync(path.join(dir, 'beseda.db')).size);
    const main = page.getByTestId('health-process').and(page.locator('[data-kind="main"]'));
    const memory = Number(await main.getAttribute('data-bytes'));
    expect(memory).toBeGreaterThan(10 * 1024 * 1024);
    await page.close();
  });
});
