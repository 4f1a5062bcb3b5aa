// `npm run screenshots`: drives the real app in Debian's Chromium (the browser host, a server of
// its own, two users, seeded rooms, a call with fake camera and microphone) and writes PNGs of the
// main screens, light and dark, at 1280x800 and 800x600 (and light at 2560x1440, to see a wide
// window used), to docs/screenshots/. Look at them.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { launchChromium, ROOT, startEntry, tempDir } from '../bench/lib.mjs';

const OUT = path.join(ROOT, 'docs', 'screenshots');
const SIZES = [
  { name: '1280x800', width: 1280, height: 800 },
  { name: '800x600', width: 800, height: 600 },
  { name: '2560x1440', width: 2560, height: 1440, themes: ['light'] },
];
const THEMES = ['light', 'dark'];
const SCREENS = ['chats', 'call', 'recordings', 'voice', 'analytics', 'health', 'settings'];

fs.mkdirSync(OUT, { recursive: true });
const dir = tempDir('beseda-screenshots-');
const server = await startEntry('dist/server/server.cjs', [
  '--port',
  '0',
  '--data-dir',
  path.join(dir, 'server'),
  '--name',
  'Team server',
]);
const hosts = [];
const browser = await launchChromium();

async function user(name) {
  const host = await startEntry('dist/main/web-host.cjs', [
    '--port',
    '0',
    '--data-dir',
    path.join(dir, name),
    '--server',
    server.url,
  ]);
  hosts.push(host);
  const context = await browser.newContext({ locale: 'en-US', viewport: SIZES[0] });
  await context.grantPermissions(['camera', 'microphone']);
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(host.url);
  await page.getByTestId('onboarding-name-input').fill(name);
  await page.getByTestId('onboarding-submit').click();
  await page.getByTestId('chat-room-create').waitFor();
  await page
    .getByTestId('analytics-consent-deny')
    .click({ timeout: 5000 })
    .catch(() => undefined);
  return page;
}
// A theme switched just now still has its colour transitions running: shots end them.
const snap = (page, name) =>
  page.screenshot({ path: path.join(OUT, `${name}.png`), animations: 'disabled' });
// `shown` is the text as it reads once its Markdown is formatted.
const say = async (page, text, shown = text) => {
  await page.getByTestId('chat-composer-input').fill(text);
  await page.getByTestId('chat-composer-input').press('Enter');
  await page.getByTestId('chat-message').filter({ hasText: shown }).waitFor();
};

try {
  const alice = await user('Alice');
  const bob = await user('Bob');
  for (const room of ['Design review', 'Team']) {
    await alice.getByTestId('chat-room-create').click();
    await alice.getByTestId('chat-room-name-input').fill(room);
    await alice.getByTestId('chat-room-create-submit').click();
    await alice
      .locator('.room-view', { has: alice.getByRole('heading', { name: room }) })
      .waitFor();
    const code = (await alice.getByTestId('chat-invite-code').textContent()).trim();
    await bob.getByTestId('chat-join-code-input').fill(code);
    await bob.getByTestId('chat-join-submit').click();
    await bob.getByTestId('chat-room-item').filter({ hasText: room }).waitFor();
  }
  await bob.getByTestId('chat-room-item').filter({ hasText: 'Team' }).click();
  await say(alice, 'Morning! The build is green again 🎉');
  await say(bob, 'Great, I will cut the release after lunch.');
  await say(
    bob,
    'The notes are in the **Design review** room, run `npm run release` after https://example.org/checklist',
    'The notes are in the Design review room',
  );
  await say(alice, 'Can we do a quick call about the invite flow first?');
  // Bob answers that one as a reply; both react to the release news; Alice fixes a typo.
  const row = (page, text) => page.getByTestId('chat-message').filter({ hasText: text }).first();
  const act = async (page, text, action) => {
    await row(page, text).hover();
    await row(page, text).getByTestId(action).click();
  };
  await act(bob, 'quick call about the invite flow', 'chat-message-reply');
  await say(bob, 'Sure, calling now 📞');
  for (const [page, nth] of [
    [alice, 0],
    [bob, 0],
    [bob, 3],
  ]) {
    await act(page, 'cut the release after lunch', 'chat-message-react');
    await page.getByTestId('chat-react-picker').getByTestId('chat-react-option').nth(nth).click();
  }
  await act(alice, 'The build is green again', 'chat-message-edit');
  await alice
    .getByTestId('chat-composer-input')
    .fill('Morning! The build is green again, all 412 tests 🎉');
  await alice.getByTestId('chat-composer-input').press('Enter');
  await row(alice, 'all 412 tests').getByTestId('chat-message-edited').waitFor();
  await row(alice, 'cut the release').getByTestId('chat-reaction').nth(1).waitFor();
  // Bob shares a mockup (an image: thumbnail, viewer), Alice the release notes (a file card).
  const mockup = await sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1000">
        <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color="#3b6fe0"/><stop offset="1" stop-color="#8f5be8"/>
        </linearGradient></defs>
        <rect width="1600" height="1000" fill="url(#g)"/>
        <rect x="200" y="160" width="1200" height="680" rx="36" fill="#ffffff" opacity="0.94"/>
        <rect x="280" y="250" width="520" height="56" rx="12" fill="#1f2937"/>
        <rect x="280" y="350" width="1040" height="28" rx="10" fill="#cbd5e1"/>
        <rect x="280" y="400" width="900" height="28" rx="10" fill="#cbd5e1"/>
        <rect x="280" y="520" width="420" height="84" rx="18" fill="#3b6fe0"/>
        <circle cx="1180" cy="640" r="110" fill="#f59e0b" opacity="0.85"/>
      </svg>`,
    ),
  )
    .png()
    .toBuffer();
  await bob.getByTestId('chat-attach-input').setInputFiles({
    name: 'invite-screen-mockup.png',
    mimeType: 'image/png',
    buffer: mockup,
  });
  await bob.getByTestId('chat-attachment').and(bob.locator('[data-ready="true"]')).waitFor();
  await say(bob, 'Mockup for the new invite screen', 'Mockup for the new invite screen');
  const pdf = Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
      'trailer<</Root 1 0 R>>\n%%EOF\n' +
      ' '.repeat(180_000),
  );
  await alice.getByTestId('chat-attach-input').setInputFiles({
    name: 'Release notes 2.4.pdf',
    mimeType: 'application/pdf',
    buffer: pdf,
  });
  await alice.getByTestId('chat-attachment').and(alice.locator('[data-ready="true"]')).waitFor();
  await alice.getByTestId('chat-composer-send').click();
  await alice.getByTestId('chat-file').filter({ hasText: 'Release notes' }).waitFor();
  await alice.getByTestId('chat-image-thumb').waitFor();
  await alice.getByTestId('chat-seen-by').waitFor();
  await alice.mouse.move(0, 0);

  // Voice control on, with the shared test model (when ../shared has it): the live level shows.
  const listen = async (page) => {
    const model = path.resolve(ROOT, '../shared/models/vosk-model-synth-en-espeak.tar.gz');
    if (!fs.existsSync(model)) return;
    await page.getByTestId('voice-model-path').fill(model);
    await page.getByTestId('voice-model-import').click();
    await page
      .locator('[data-testid="voice-model"][data-state="ready"]')
      .waitFor({ timeout: 60_000 });
    await page.getByTestId('voice-toggle').click();
    await page
      .locator('[data-testid="voice-status"][data-state="idle"]')
      .waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="voice-level"]:not([data-speech="unknown"])').waitFor();
  };

  const shoot = async (page, screen) => {
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      for (const size of SIZES.filter((s) => (s.themes ?? THEMES).includes(theme))) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.getByTestId(`screen-${screen}`).waitFor();
        // Fonts (emoji by Unicode range) load when text needs them: wait, then one frame.
        await page.evaluate(async () => {
          await document.fonts.ready;
          await new Promise((r) => requestAnimationFrame(() => r(null)));
        });
        // Between two of the fake microphone's beeps the meter is empty: shoot again until the
        // level was up while the picture was taken.
        const meter = page.getByTestId('voice-level');
        const level = async () => Number(await meter.getAttribute('data-level'));
        for (let tries = 0; ; tries++) {
          if (await meter.count())
            await page.waitForFunction(
              () =>
                Number(document.querySelector('[data-testid="voice-level"]').dataset.level) > 0.02,
            );
          await snap(page, `${screen}-${theme}-${size.name}`);
          if (tries >= 10 || !(await meter.count()) || (await level()) > 0.02) break;
        }
      }
    }
    await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
  };

  for (const screen of SCREENS.filter((s) => s !== 'call')) {
    await alice.getByTestId(`nav-${screen}`).click();
    if (screen === 'voice') await listen(alice);
    await shoot(alice, screen);
  }

  // A message's toolbar, as hovering shows it.
  await alice.getByTestId('nav-chats').click();
  await row(alice, 'quick call about the invite flow').hover();
  await row(alice, 'quick call about the invite flow').getByTestId('chat-message-react').waitFor();
  await snap(alice, 'message-actions-1280x800');
  await alice.mouse.move(0, 0);

  // The image viewer, and the full emoji picker.
  await alice.getByTestId('chat-image').first().click();
  await alice.getByTestId('chat-viewer-image').and(alice.locator('[data-full="true"]')).waitFor();
  await alice.evaluate(() => document.fonts.ready);
  await snap(alice, 'viewer-dark-1280x800');
  await alice.keyboard.press('Escape');
  await alice.getByTestId('chat-viewer').waitFor({ state: 'detached' });
  await row(alice, 'quick call about the invite flow').hover();
  await row(alice, 'quick call about the invite flow').getByTestId('chat-message-react').click();
  await alice.getByTestId('chat-react-more').click();
  await alice.getByTestId('chat-emoji-search').waitFor();
  await alice
    .locator('[data-testid="chat-emoji-option"][aria-label]:not([aria-label=""])')
    .first()
    .waitFor();
  await snap(alice, 'emoji-picker-1280x800');
  await alice.keyboard.press('Escape');
  await alice.mouse.move(0, 0);

  // Settings > Notifications.
  await alice.getByTestId('nav-settings').click();
  await alice.getByTestId('settings-nav-notifications').click();
  await snap(alice, 'settings-notifications-1280x800');
  await alice.getByTestId('nav-chats').click();

  // The quick switcher (Ctrl+K) over the chats screen.
  await alice.getByTestId('nav-chats').click();
  for (const theme of THEMES) {
    await alice.emulateMedia({ colorScheme: theme });
    await alice.keyboard.press('Control+K');
    await alice.getByTestId('switcher-input').waitFor();
    await alice.keyboard.type('de');
    await alice.evaluate(() => document.fonts.ready);
    await snap(alice, `switcher-${theme}-1280x800`);
    await alice.keyboard.press('Escape');
    await alice.getByTestId('switcher').waitFor({ state: 'detached' });
  }

  // The connection details, a popover from the sidebar's footer.
  for (const theme of THEMES) {
    await alice.emulateMedia({ colorScheme: theme });
    await alice.getByTestId('chats-connection-toggle').click();
    await alice.getByTestId('chats-connection-popover').waitFor();
    await snap(alice, `connection-${theme}-1280x800`);
    await alice.keyboard.press('Escape');
    await alice.getByTestId('chats-connection-popover').waitFor({ state: 'detached' });
  }

  // A call of two with fake camera and microphone.
  await alice.getByTestId('nav-chats').click();
  await alice.getByTestId('chat-room-item').filter({ hasText: 'Team' }).click();
  await alice.getByTestId('call-start').click();
  await bob.getByTestId('call-accept').click();
  await alice.getByTestId('call-participant').first().waitFor({ timeout: 20_000 });
  // Bob's picture has arrived on Alice's stage (not only her own preview).
  await alice.waitForFunction(
    () =>
      [...document.querySelectorAll('[data-testid="call-participant"] video')].some(
        (v) => v.readyState >= 2 && v.videoWidth > 0,
      ),
    undefined,
    { timeout: 20_000 },
  );
  await shoot(alice, 'call');
  // The devices popover over the stage, and the toast that offers to rejoin after leaving.
  await alice.emulateMedia({ colorScheme: 'dark' });
  await alice.getByTestId('call-devices-toggle').click();
  await alice.getByTestId('call-devices').waitFor();
  await snap(alice, 'call-devices-dark-1280x800');
  await alice.keyboard.press('Escape');
  await alice.getByTestId('call-leave').click();
  await alice.getByTestId('call-rejoin').waitFor();
  await snap(alice, 'call-left-dark-1280x800');
  console.log(`screenshots written to ${path.relative(ROOT, OUT)}/`);
} finally {
  await browser.close();
  await Promise.all(hosts.map((h) => h.stop()));
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
