/**
 * Analytics in Chromium: opt-in, tracked usage uploaded to the real server, the dashboard across
 * users with CSV export, goals and an experiment used as a feature flag (the composer hint) with
 * its exposures counted, and local-only figures, said so, when the server is gone.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { openUser, roomWith, type AppUser } from '../support/e2e-users';
import { startServer, type ChildService } from '../support/processes';
import { makeTempDir } from '../support/temp-dir';

/** Reads `read` until `done` accepts its value or the time is up; returns the last value. */
async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000) {
  const end = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 300));
    value = await read();
  }
  return value;
}

describe('analytics in Chromium', () => {
  let browser: Browser;
  let server: ChildService;
  let alice: AppUser;
  let bob: AppUser;
  const temp = makeTempDir();

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startServer(`${temp.dir}/server`);
    alice = await openUser(browser, server.url, `${temp.dir}/alice`, 'Alice');
    bob = await openUser(browser, server.url, `${temp.dir}/bob`, 'Bob');
    // The operator names Alice an administrator (analytics across users, definitions), as the
    // operations guide says, while the server runs.
    const identity = await alice.page.evaluate(() => window.api.call('identity.get', undefined));
    if (!identity.ok || !identity.value) throw new Error('Alice has no identity');
    execFileSync(process.execPath, [
      'dist/server/server.cjs',
      'admin',
      'add',
      identity.value.userId,
      '--data-dir',
      `${temp.dir}/server`,
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([alice?.host.stop(), bob?.host.stop()]);
    await server?.stop();
    temp.cleanup();
  });

  it('asks once; only users who agree are counted', async () => {
    await alice.page.getByTestId('analytics-consent-allow').click();
    await bob.page.getByTestId('analytics-consent-deny').click();
    await alice.page.getByTestId('analytics-consent').waitFor({ state: 'detached' });
    await bob.page.getByTestId('analytics-consent').waitFor({ state: 'detached' });
    await roomWith(alice.page, 'Metrics', [bob.page]);
    await alice.page.getByTestId('chat-composer-input').fill('counted, never read');
    await alice.page.getByTestId('chat-composer-send').click();
    await bob.page.getByTestId('chat-composer-input').fill('not counted');
    await bob.page.getByTestId('chat-composer-send').click();
    await alice.page.getByTestId('nav-voice').click();
    await bob.page.getByTestId('nav-voice').click();

    await alice.page.getByTestId('nav-analytics').click();
    const source = alice.page.getByTestId('analytics-source');
    await source.and(alice.page.locator('[data-source="server"]')).waitFor();
    // Alice's events reach the server in batches; Bob's never exist.
    const total = await poll(
      async () => {
        await alice.page.getByTestId('analytics-refresh').click();
        return Number(await alice.page.getByTestId('analytics-total').getAttribute('data-total'));
      },
      (n) => n >= 4,
    );
    // room created, message sent, voice and analytics screens viewed (app start came before consent)
    expect(total).toBeGreaterThanOrEqual(4);
    // The screens in the order she opened them (the chats screen came before her consent).
    expect(await alice.page.getByTestId('analytics-journeys').textContent()).toContain(
      'Voice → Analytics',
    );
    await bob.page.getByTestId('nav-analytics').click();
    await bob.page.getByTestId('analytics-off').waitFor();
  });

  it('exports a chart as CSV', async () => {
    const download = alice.page.waitForEvent('download');
    await alice.page.getByTestId('chart-activity-csv').click();
    const file = await (await download).path();
    const csv = fs.readFileSync(file!, 'utf8').split('\r\n');
    expect(csv[0]).toBe('label,Active users,Messages,Calls joined,Voice commands');
    const today = new Date().toISOString().slice(0, 10);
    expect(csv.find((line) => line.startsWith(today))).toMatch(new RegExp(`^${today},1,1,0,0$`));
    const png = alice.page.waitForEvent('download');
    await alice.page.getByTestId('chart-activity-png').click();
    const image = fs.readFileSync((await (await png).path())!);
    expect(image.subarray(1, 4).toString()).toBe('PNG');
    expect(image.length).toBeGreaterThan(1000);
  });

  it('defines a goal and runs an experiment whose variant changes the UI', async () => {
    const page = alice.page;
    await page.getByTestId('define-kind').selectOption('goal');
    await page.getByTestId('define-key').fill('first-message');
    await page.getByTestId('define-name').fill('First message');
    await page.getByTestId('define-steps').fill('message.sent');
    await page.getByTestId('define-save').click();
    await page
      .getByTestId('analytics-goal')
      .and(page.locator('[data-key="first-message"]'))
      .waitFor();

    await page.getByTestId('define-kind').selectOption('experiment');
    await page.getByTestId('define-key').fill('composer-hint');
    await page.getByTestId('define-name').fill('Composer hint');
    await page.getByTestId('define-variants').fill('control:0, hint:1');
    await page.getByTestId('define-goal').selectOption('first-message');
    // Only web-host users take part (this test's users are).
    await page.getByTestId('define-target-host-web').check();
    expect(await page.getByTestId('define-sample-size').textContent()).toContain('31231');
    await page.getByTestId('define-save').click();
    const card = page
      .getByTestId('analytics-experiment')
      .and(page.locator('[data-key="composer-hint"]'));
    await card.getByTestId('experiment-start').click();
    await card.and(page.locator('[data-status="running"]')).waitFor();

    // The flag: everyone is in "hint", so the composer shows it and logs the exposure.
    await page.getByTestId('nav-chats').click();
    await page.getByTestId('composer-hint').waitFor();
    await page.getByTestId('chat-composer-input').fill('after the hint');
    await page.getByTestId('chat-composer-send').click();
    await page.getByTestId('nav-analytics').click();
    const exposed = await poll(
      async () => {
        await page.getByTestId('analytics-refresh').click();
        const row = card
          .getByTestId('experiment-variant')
          .and(page.locator('[data-variant="hint"]'));
        return (await row.count()) ? await row.locator('td').nth(1).textContent() : null;
      },
      (users) => users === '1',
    );
    expect(exposed).toBe('1');
    // One user against a plan of 31,231: reading it now is flagged as peeking.
    await card.getByTestId('experiment-peeking').waitFor();
  });

  it('shows its own figures, marked local-only, when the server is gone', async () => {
    await server.stop();
    await alice.page.getByTestId('analytics-refresh').click();
    await alice.page
      .getByTestId('analytics-source')
      .and(alice.page.locator('[data-source="local"]'))
      .waitFor({ timeout: 15_000 });
    expect(
      Number(await alice.page.getByTestId('analytics-total').getAttribute('data-total')),
    ).toBeGreaterThan(0);
  });
});
