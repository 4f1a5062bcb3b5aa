/**
 * One user alone on the Voice screen, for the voice e2e tests: a Chromium whose fake microphone
 * plays a sound file, a server, and the user's browser host, signed in and on the Voice screen.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { openUser, type AppUser } from './e2e-users';
import { startServer, type ChildService } from './processes';

export interface VoiceScreen {
  browser: Browser;
  server: ChildService;
  user: AppUser;
  page: Page;
  /** Uncaught errors of the page only (the voice tests provoke failed loads on purpose). */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * `microphone` is the fake capture file as Chromium takes it: a WAV path, with `%noloop` after
 * it to play the file once instead of over and over.
 */
export async function openVoiceScreen(
  dir: string,
  name: string,
  microphone: string,
): Promise<VoiceScreen> {
  const browser = await launchChromium([`--use-file-for-fake-audio-capture=${microphone}`]);
  let server: ChildService | undefined;
  let user: AppUser | undefined;
  const close = async () => {
    await browser.close();
    await user?.host.stop();
    await server?.stop();
  };
  try {
    server = await startServer(`${dir}/server`);
    user = await openUser(browser, server.url, `${dir}/${name.toLowerCase()}`, name);
  } catch (error) {
    await close();
    throw error;
  }
  const pageErrors: string[] = [];
  user.page.on('pageerror', (error) => pageErrors.push(error.message));
  await user.page.getByTestId('nav-voice').click();
  return { browser, server, user, page: user.page, pageErrors, close };
}
