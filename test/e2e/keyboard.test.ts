/**
 * Keyboard first: Ctrl+K opens the quick switcher (rooms, people, screens) with the focus in its
 * field; typing filters, Enter opens, Esc closes and gives the focus back; Alt+Up/Down moves
 * between rooms from any screen.
 */
import type { Browser, Page } from 'playwright-core';
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

  /** Presses Tab until the element with this test id has the focus: it is reachable by keyboard. */
  async function tabTo(page: Page, testId: string, limit = 80): Promise<void> {
    for (let i = 0; i < limit; i++) {
      const here = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
      if (here === testId) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`${testId} was not reached with Tab in ${limit} presses`);
  }
  /** Focus goes back to where it was once a popover has closed (Radix does it a moment later). */
  const focusReturnsTo = (page: Page, testId: string) =>
    page.waitForFunction(
      (id) => document.activeElement?.getAttribute('data-testid') === id,
      testId,
    );

  it('onboards, makes a room, talks, switches and calls with the keyboard alone', async () => {
    const other = await startWebHost(`${temp.dir}/keyboard-only`);
    try {
      const page = await browser.newPage({ locale: 'en-US' });
      const errors = collectPageErrors(page);
      await page.goto(other.url);
      // Onboarding: the name field has the focus; Enter starts.
      await page.getByTestId('onboarding-name-input').waitFor();
      await page.keyboard.type('Kira');
      await page.keyboard.press('Enter');
      await page.getByTestId('chat-room-create').waitFor();
      for (const name of ['Standup', 'Release']) {
        await tabTo(page, 'chat-room-create');
        await page.keyboard.press('Enter');
        await page.keyboard.type(name);
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { name, level: 2 }).waitFor();
      }
      // A message: Tab to the composer, type, Enter sends (Shift+Enter is a new line).
      await tabTo(page, 'chat-composer-input');
      await page.keyboard.type('First line');
      await page.keyboard.press('Shift+Enter');
      await page.keyboard.type('second line');
      await page.keyboard.press('Enter');
      await page.getByTestId('chat-message').filter({ hasText: 'second line' }).waitFor();
      // Its toolbar: Tab reaches it, the arrow keys, Home and End move inside it.
      await tabTo(page, 'chat-message-react');
      const focused = () =>
        page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe('chat-message-reply');
      await page.keyboard.press('End');
      expect(await focused()).toBe('chat-message-delete');
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe('chat-message-react');
      await page.keyboard.press('ArrowLeft');
      expect(await focused()).toBe('chat-message-delete');
      await page.keyboard.press('Home');
      expect(await focused()).toBe('chat-message-react');
      // The connection details: a popover from the sidebar's footer, Esc closes it.
      await tabTo(page, 'chats-connection-toggle');
      await page.keyboard.press('Enter');
      await page.getByTestId('chats-connection-popover').getByTestId('chats-connection').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('chats-connection-popover').waitFor({ state: 'detached' });
      await focusReturnsTo(page, 'chats-connection-toggle');
      // The quick switcher to the other room.
      await page.keyboard.press('Control+K');
      await page.getByTestId('switcher-input').waitFor();
      await page.keyboard.type('standup');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Standup', level: 2 }).waitFor();
      // A call: start it, mute with Ctrl+D, leave it, all from the keyboard.
      await tabTo(page, 'call-start');
      await page.keyboard.press('Enter');
      await page.getByTestId('call-leave').waitFor();
      await page.keyboard.press('Control+D');
      await page.locator('[data-testid="call-mute"][aria-pressed="true"]').waitFor();
      // The devices: a popover whose first control takes the focus; Esc gives it back.
      await tabTo(page, 'call-devices-toggle');
      await page.keyboard.press('Enter');
      await page.getByTestId('call-devices').getByTestId('call-device-microphone').waitFor();
      await expect(
        page.evaluate(() => !!document.activeElement?.closest('[data-testid="call-devices"]')),
      ).resolves.toBe(true);
      await page.keyboard.press('Escape');
      await page.getByTestId('call-devices').waitFor({ state: 'detached' });
      await focusReturnsTo(page, 'call-devices-toggle');
      await tabTo(page, 'call-leave');
      await page.keyboard.press('Enter');
      await page.getByTestId('call-leave').waitFor({ state: 'detached' });
      // Leaving offers to come back, reachable by keyboard as well (F8 goes to the toasts).
      await page.getByTestId('call-rejoin').waitFor();
      await page.keyboard.press('F8');
      await tabTo(page, 'call-rejoin');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await other.stop();
    }
  }, 90_000);
});
