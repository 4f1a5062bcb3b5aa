/**
 * Production-readiness screens in Chromium through the browser host: Settings > Backups (back
 * up now, restore with its confirmation, restore from a file), the Health screen (rules, charts
 * fed by samples, the keystore's honest "key file" notice) and incidents (acknowledge, resolve
 * with a note, Markdown export).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchChromium } from '../support/chromium';
import { startWebHost, type ChildService } from '../support/processes';
import { makeTempDir } from '../support/temp-dir';

describe('backups, health and incidents in the app', () => {
  let browser: Browser;
  let host: ChildService;
  let page: Page;
  let errors: string[];
  const temp = makeTempDir();
  /** What the page did, printed when a step fails. */
  const trace: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    host = await startWebHost(temp.dir);
    page = await browser.newPage({ locale: 'en-US', acceptDownloads: true });
    errors = collectPageErrors(page);
    page.on('dialog', (dialog) => void dialog.accept());
    page.on('framenavigated', (frame) => trace.push(`navigated ${frame.url()}`));
    page.on('console', (message) => trace.push(`${message.type()}: ${message.text()}`));
    await page.goto(host.url);
    await page.getByTestId('screen-chats').waitFor();
  });
  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await host?.stop();
    temp.cleanup();
  });

  it('backs up now, lists the verified backup, exports it and restores it', async () => {
    await page.getByTestId('nav-settings').click();
    const section = page.getByTestId('settings-backups');
    await section.scrollIntoViewIfNeeded();
    await page.getByTestId('backups-now').click();
    await page.getByTestId('backups-note').filter({ hasText: 'verified' }).waitFor();
    const row = page.getByTestId('backups-row').first();
    expect(await row.getAttribute('data-state')).toBe('verified');
    const id = (await row.getAttribute('data-id'))!;
    expect(fs.existsSync(path.join(temp.dir, 'backups', `${id}.tdbackup`))).toBe(true);

    const exported = path.join(temp.dir, 'exported.tdbackup');
    await page.getByTestId('backups-export-path').fill(exported);
    await row.getByTestId('backups-export').click();
    await page.getByTestId('backups-note').filter({ hasText: exported }).waitFor();
    expect(fs.statSync(exported).size).toBeGreaterThan(0);

    await row.getByTestId('backups-restore').click();
    await page
      .getByTestId('backups-note')
      .filter({ hasText: 'Restored' })
      .waitFor()
      .catch(async (error: Error) => {
        // What the section said instead, to tell a slow restore from a refused one.
        const said = await page.getByTestId('settings-backups').innerText();
        throw new Error(
          `${error.message}\nThe backups section said:\n${said}\nThe page:\n${trace.join('\n')}`,
        );
      });

    await page.getByTestId('backups-restore-path').fill(path.join(temp.dir, 'missing.tdbackup'));
    await page.getByTestId('backups-restore-file').click();
    await page.locator('[data-testid="backups-note"][role="alert"]').waitFor();
    await page.getByTestId('backups-restore-path').fill(exported);
    await page.getByTestId('backups-restore-file').click();
    await page.getByTestId('backups-note').filter({ hasText: 'Restored' }).waitFor();
  });

  it('shows rules, charts and the keystore, and handles incidents', async () => {
    await page.getByTestId('nav-health').click();
    await page.getByTestId('health-rule').first().waitFor();
    const rules = await page
      .getByTestId('health-rule')
      .evaluateAll((rows) =>
        rows.map((r) => [r.getAttribute('data-key'), r.getAttribute('data-state')]),
      );
    expect(Object.fromEntries(rules)).toMatchObject({
      backup_age: 'ok',
      wal_size: 'ok',
      server_unreachable: 'ok',
      keystore: 'ok',
    });
    expect(await page.getByTestId('health-charts').locator('canvas').count()).toBe(6);
    expect(await page.getByTestId('keystore-backend').textContent()).toBe('key_file');
    await page.getByTestId('keystore-weak').waitFor();

    // The two restores opened an incident (one per key, the second added to its timeline).
    const incident = page.locator('[data-testid="incident"][data-key="database_restored"]');
    await incident.waitFor();
    expect(await incident.locator('.timeline li').count()).toBe(2);
    await incident.getByTestId('incident-note').fill('restored on purpose');
    await incident.getByTestId('incident-ack').click();
    await page.locator('[data-testid="incident"][data-state="acknowledged"]').waitFor();
    await incident.getByTestId('incident-resolve').click();
    await page.locator('[data-testid="incident"][data-state="resolved"]').waitFor();

    const download = page.waitForEvent('download');
    await page.getByTestId('incidents-export-md').click();
    const file = await (await download).path();
    const report = fs.readFileSync(file!, 'utf8');
    expect(report).toContain('The database was restored from a backup');
    expect(report).toContain('restored on purpose');
    expect(errors).toEqual([]);
  });

  it('sets a passphrase from the Health screen; after a restart the app is locked until it is entered', async () => {
    await page.getByTestId('nav-health').click();
    await page.getByTestId('keystore-passphrase').fill('correct horse 42');
    await page.getByTestId('keystore-submit').click();
    await page.getByTestId('keystore-weak').waitFor({ state: 'detached' });
    await page.close();
    expect(await host.stop()).toBe(0);

    host = await startWebHost(temp.dir);
    page = await browser.newPage({ locale: 'en-US' });
    errors = collectPageErrors(page);
    await page.goto(`${host.url}#/health`);
    const panel = page.locator('[data-testid="health-keystore"][data-state="locked"]');
    await panel.waitFor();
    await page
      .locator('[data-testid="health-rule"][data-key="keystore"][data-state="breached"]')
      .waitFor();
    await page.getByTestId('keystore-passphrase').fill('wrong horse 42');
    await page.getByTestId('keystore-submit').click();
    await panel.getByRole('alert').filter({ hasText: 'not right' }).waitFor();
    await page.getByTestId('keystore-passphrase').fill('correct horse 42');
    await page.getByTestId('keystore-submit').click();
    await page.locator('[data-testid="health-keystore"][data-state="open"]').waitFor();
    // Secrets usable again: a backup (sealed with the backup key from the keystore) works.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('backups-now').click();
    await page.getByTestId('backups-note').filter({ hasText: 'verified' }).waitFor();
    expect(errors).toEqual([]);
  });
});
