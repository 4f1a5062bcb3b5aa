/**
 * Keyboard first: Ctrl+K opens the quick switcher (rooms, people, screens) with the focus in its
 * field; typing filters, Enter opens, Esc closes and gives the focus back; Alt+Up/Down moves
 * between rooms from any screen.
 */
import type { Browser } from 'playwright-core';
import { collectPageErrors, launchChromium } from '../support/chromium';
import { startWebHost, type ChildService } from '../support/processes';
import { makeTempDir } from '../support/temp-dir';

describe('keyboard: quick switcher and moving between rooms', () => {
  const temp = makeTempDir();
  let browser: Browser;
  let host: ChildService;

  beforeAll(async () => {
    browser = await launchChromium();
    host = await startWebHost(temp.dir);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    temp.cleanup();
  });

  it('goes anywhere with Ctrl+K and between rooms with Alt+arrows, without the mouse', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    const errors = collectPageErrors(page);
    await page.goto(host.url);
    await page.getByTestId('onboarding-name-input').fill('Alice');
    await page.getByTestId('onboarding-name-input').press('Enter');
    for (const name of ['Design review', 'Team']) {
      await page.getByTestId('chat-room-create').click();
      await page.getByTestId('chat-room-name-input').fill(name);
      await page.getByTestId('chat-room-name-input').press('Enter');
      await page.getByRole('heading', { name, level: 2 }).waitFor();
    }
    const current = page.locator('[data-testid="chat-room-item"][aria-current="true"]');
    await expect(current.textContent()).resolves.toContain('Team');

    // Ctrl+K: the switcher, focus in its field; a few letters and Enter open the room.
    await page.keyboard.press('Control+K');
    const input = page.getByTestId('switcher-input');
    await input.waitFor();
    await expect(input.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.type('desig');
    await page.keyboard.press('Enter');
    await page.getByTestId('switcher').waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: 'Design review', level: 2 }).waitFor();

    // Screens too; Esc closes without doing anything.
    await page.keyboard.press('Control+K');
    await page.keyboard.type('settings');
    await page.keyboard.press('Enter');
    await page.getByTestId('screen-settings').waitFor();
    await page.keyboard.press('Control+K');
    await input.waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('switcher').waitFor({ state: 'hidden' });
    await page.getByTestId('screen-settings').waitFor();

    // Alt+Down from any screen: the next room, on the chats screen.
    await page.keyboard.press('Alt+ArrowDown');
    await page.getByTestId('screen-chats').waitFor();
    await page.getByRole('heading', { name: 'Team', level: 2 }).waitFor();
    await page.keyboard.press('Alt+ArrowUp');
    await page.getByRole('heading', { name: 'Design review', level: 2 }).waitFor();
    expect(errors).toEqual([]);
  });
});
