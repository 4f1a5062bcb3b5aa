/**
 * Every screen, in both themes and both languages, as axe-core sees it (no serious or critical
 * violation), at 800x600, 1280x800 and 2560x1440 with nothing overflowing sideways or clipping its
 * text (and, that wide, every screen but Settings using the window's width), and
 * in Russian with no English word left on screen. One app (its own embedded server) with a room,
 * messages and a direct conversation, so that lists are not empty.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { SCREENS, type ScreenId } from '../../src-shared/screens';
import { collectPageErrors, launchChromium } from '../support/chromium';
import { startWebHost, type ChildService } from '../support/processes';
import { makeTempDir } from '../support/temp-dir';

/** Elements that overflow sideways or clip their text (ellipsis is a chosen truncation). */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : ''}.${[...el.classList].join('.')} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    for (const el of document.querySelectorAll<HTMLElement>('.app *')) {
      if (el.closest('[hidden], dialog:not([open]), details:not([open]) > :not(summary)')) continue;
      if (el.matches('.ui-visually-hidden')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue;
      // Scrolling sideways on purpose (a strip of call tiles) or a chosen ellipsis.
      if (['auto', 'scroll'].includes(style.overflowX) && el.matches('.tile-strip')) continue;
      if (style.textOverflow === 'ellipsis') continue;
      // Inputs scroll their own text; media and canvases have their own size.
      if (el.matches('input, textarea, select, video, canvas, svg *')) continue;
      found.push(`${describe(el)} scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth + 1)
      found.push(`the page scrolls sideways (${document.documentElement.scrollWidth}px)`);
    return found;
  });
}

/** Latin words on screen in the Russian UI, apart from names, codes and technical units. */
function englishWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const allowed = new Set(
      [
        // People, rooms and messages this test made, and the product's own name in Latin.
        'alice',
        'bob',
        'team',
        'design',
        'review',
        'morning',
        'build',
        'green',
        'again',
        'beseda',
        // Technical names and units shown as they are.
        'wss',
        'http',
        'https',
        'url',
        'tls',
        'ipv',
        'mdns',
        'webm',
        'opus',
        'sqlite',
        'json',
        'kbit',
        'fps',
        'rtt',
        'cpu',
        'ram',
        'rss',
        'ctrl',
        'cmd',
        'alt',
        'shift',
        'enter',
        'esc',
        'vosk',
        'zip',
        'tar',
        'p95',
        'p50',
        'p99',
        'mos',
        'id',
        'ms',
        'kb',
        'mb',
        'gb',
        'commandorcontrol',
        'backspace',
        'linux',
        'windows',
        'macos',
        'electron',
        'chromium',
        'csv',
        'png',
        'markdown',
      ].map((w) => w.toLowerCase()),
    );
    const words = new Set<string>();
    const walker = document.createTreeWalker(document.querySelector('.app')!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement!;
      if (parent.closest('code, kbd, [hidden], script, style, select, time')) continue;
      // Content in another language on purpose (the voice commands' own language) says so.
      if (parent.closest('[lang]')?.getAttribute('lang') !== document.documentElement.lang)
        continue;
      if (parent.closest('.message-body, .room-last, .invite-link, [translate="no"]')) continue;
      if (!parent.checkVisibility()) continue;
      for (const word of (node.textContent ?? '').match(/[A-Za-z]{3,}/g) ?? [])
        if (!allowed.has(word.toLowerCase()) && !/^[0-9a-f]+$/i.test(word)) words.add(word);
    }
    for (const el of document.querySelectorAll<HTMLElement>(
      '.app [aria-label], .app [placeholder], .app [title]',
    )) {
      if (el.closest('[translate="no"]')) continue;
      for (const attr of ['aria-label', 'placeholder', 'title'])
        for (const word of (el.getAttribute(attr) ?? '').match(/[A-Za-z]{3,}/g) ?? [])
          if (!allowed.has(word.toLowerCase()) && !/^[0-9a-f]+$/i.test(word))
            words.add(`${attr}: ${word}`);
    }
    return [...words];
  });
}

describe('accessibility, layout and translation on every screen', () => {
  const temp = makeTempDir();
  let browser: Browser;
  let host: ChildService;

  beforeAll(async () => {
    browser = await launchChromium();
    host = await startWebHost(temp.dir);
    // One user with rooms and messages, so that lists and the conversation are not empty.
    const page = await browser.newPage({ locale: 'en-US' });
    await page.goto(host.url);
    await page.getByTestId('onboarding-name-input').fill('Alice');
    await page.getByTestId('onboarding-submit').click();
    for (const name of ['Design review', 'Team']) {
      await page.getByTestId('chat-room-create').click();
      await page.getByTestId('chat-room-name-input').fill(name);
      await page.getByTestId('chat-room-create-submit').click();
      await page.getByRole('heading', { name, level: 2 }).waitFor();
    }
    await page.getByTestId('chat-composer-input').fill('Morning! The build is green again 🎉');
    await page.getByTestId('chat-composer-input').press('Enter');
    await page.getByTestId('chat-message').first().waitFor();
    await page.close();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    temp.cleanup();
  });

  async function visit(page: Page, id: ScreenId) {
    await page.evaluate((screen) => (location.hash = `#/${screen}`), id);
    await page.getByTestId(`screen-${id}`).waitFor();
    // Screens that load their data show it (or their empty state) before they are judged.
    await page.waitForFunction(() => !document.querySelector('.app [aria-busy="true"]'));
    // Two frames, so that what resizes itself after a layout (chart.js canvases) has done so.
    await page.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    );
  }

  const variants = [
    { locale: 'en-US', colorScheme: 'light' as const },
    { locale: 'en-US', colorScheme: 'dark' as const },
    { locale: 'ru-RU', colorScheme: 'light' as const },
    { locale: 'ru-RU', colorScheme: 'dark' as const },
  ];

  it.each(variants)(
    'has no serious or critical axe violation ($locale, $colorScheme)',
    async ({ locale, colorScheme }) => {
      const context = await browser.newContext({
        locale,
        colorScheme,
        viewport: { width: 1280, height: 800 },
      });
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(host.url);
      await page.getByTestId('screen-chats').waitFor();
      const problems: string[] = [];
      for (const id of SCREENS) {
        await visit(page, id);
        const result = await new AxeBuilder({ page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
          .analyze();
        for (const v of result.violations)
          if (v.impact === 'serious' || v.impact === 'critical')
            problems.push(
              `${id}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes
                .map((n) => n.target.join(' '))
                .slice(0, 4)
                .join(', ')}`,
            );
      }
      expect(problems).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    },
    120_000,
  );

  it.each([
    { width: 800, height: 600 },
    { width: 1280, height: 800 },
    { width: 2560, height: 1440 },
  ])(
    'lets nothing overflow or clip its text at $width x $height',
    async (viewport) => {
      const page = await browser.newPage({ locale: 'ru-RU', viewport });
      await page.goto(host.url);
      await page.getByTestId('screen-chats').waitFor();
      const problems: string[] = [];
      for (const id of SCREENS) {
        await visit(page, id);
        for (const p of await overflowing(page)) problems.push(`${id}: ${p}`);
        // A wide window is used, not left a third empty; Settings keeps a readable width, centred.
        if (viewport.width >= 2000 && id !== 'settings') {
          const used = await page.getByTestId(`screen-${id}`).evaluate((screen) => {
            const content = screen.closest('.content')!;
            const style = getComputedStyle(content);
            const inner =
              content.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            return screen.getBoundingClientRect().width / inner;
          });
          if (used < 0.95) problems.push(`${id}: uses ${Math.round(used * 100)}% of the width`);
        }
      }
      expect(problems).toEqual([]);
      await page.close();
    },
    120_000,
  );

  it('leaves no English word in the Russian UI', async () => {
    const page = await browser.newPage({ locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);
    await page.getByTestId('screen-chats').waitFor();
    const found: string[] = [];
    for (const id of SCREENS) {
      await visit(page, id);
      for (const word of await englishWords(page)) found.push(`${id}: ${word}`);
    }
    expect(found).toEqual([]);
    await page.close();
  }, 120_000);
});
