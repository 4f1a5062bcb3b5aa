/**
 * Debian's Chromium driven by playwright-core. A missing browser fails the test with the command
 * that installs it; e2e tests never skip silently.
 */
import fs from 'node:fs';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import chromiumArgs from './chromium-args.json';

/** Flags that work as root on these machines, with a fake camera and microphone (bench/ uses them too). */
export const CHROMIUM_ARGS: string[] = chromiumArgs;

export function chromiumPath(): string {
  const candidate = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(candidate)) {
    throw new Error(
      `Chromium not found at ${candidate}. Install it with "sudo apt-get install -y chromium" ` +
        '(Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  return candidate;
}

export async function launchChromium(
  extraArgs: string[] = [],
  /** Another way to start the same Chromium (a script that runs it in a network namespace). */
  executablePath: string = chromiumPath(),
): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/** Collects console errors and uncaught page errors, for "no console errors" checks. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`http ${response.status()}: ${response.url()}`);
  });
  return errors;
}

/**
 * Runs a step of a test; when it fails, the error also says what the page showed (its route and
 * text) and the errors it logged, so that a failure in CI can be read without a screenshot.
 */
export async function explained<T>(
  page: Page,
  errors: readonly string[],
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const shown = await page
      // A string, as test/support is also compiled without the DOM's types.
      .evaluate<string>("location.hash + '\\n' + document.body.innerText")
      .catch(() => '(the page is gone)');
    // A new error: Jest prints the stack, which an edited message would not reach.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${message}\nThe page showed:\n${shown.slice(0, 3000)}\nIts errors:\n${errors.join('\n') || '(none)'}`,
      { cause: error },
    );
  }
}
