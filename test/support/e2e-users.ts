/** A user of the app in e2e tests: their own browser host (data directory) and Chromium page. */
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors } from './chromium';
import { startWebHost, type ChildService } from './processes';

export interface AppUser {
  name: string;
  page: Page;
  host: ChildService;
  /** Console errors, uncaught page errors and failed HTTP responses of the page. */
  errors: string[];
}

/** Starts a browser host for `name` against the server, opens it and completes onboarding. */
export async function openUser(
  browser: Browser,
  serverUrl: string,
  dataDir: string,
  name: string,
  options: {
    /** Browser permissions granted to the page ('notifications', say). */
    permissions?: string[];
    /** A script run in the page before the app's own (to observe a browser API). */
    initScript?: string;
  } = {},
): Promise<AppUser> {
  const host = await startWebHost(dataDir, ['--server', serverUrl]);
  const page = await browser.newPage({ locale: 'en-US', permissions: options.permissions });
  if (options.initScript) await page.addInitScript(options.initScript);
  const errors = collectPageErrors(page);
  await page.goto(host.url);
  await page.getByTestId('onboarding-name-input').fill(name);
  await page.getByTestId('onboarding-submit').click();
  await page.getByTestId('chat-room-create').waitFor();
  return { name, page, host, errors };
}

/** `owner` creates a room and the others join it by its invite code; resolves to the code. */
export async function roomWith(owner: Page, roomName: string, others: Page[]): Promise<string> {
  await owner.getByTestId('chat-room-create').click();
  await owner.getByTestId('chat-room-name-input').fill(roomName);
  await owner.getByTestId('chat-room-create-submit').click();
  const code = (await owner.getByTestId('chat-invite-code').textContent())!.trim();
  for (const page of others) {
    await page.getByTestId('chat-join-code-input').fill(code);
    await page.getByTestId('chat-join-submit').click();
    await page.getByTestId('chat-room-item').filter({ hasText: roomName }).waitFor();
  }
  return code;
}
