/**
 * Two users, each with their own browser host, in one room on one real server: messages both
 * ways; stopping the server shows the offline indicator and a pending message; restarting it
 * delivers the message and clears the indicator.
 */
import fs from 'node:fs';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { openUser, roomWith, type AppUser } from '../support/e2e-users';
import { startServer, type ChildService } from '../support/processes';
import { makeTempDir } from '../support/temp-dir';

describe('chat in Chromium: two users, one server, offline and back', () => {
  let browser: Browser;
  let server: ChildService;
  let port: string;
  const children: ChildService[] = [];
  const temp = makeTempDir();
  const users: AppUser[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startServer(`${temp.dir}/server`);
    port = new URL(server.url).port;
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(children.map((c) => c.stop()));
    await server?.stop();
    temp.cleanup();
  });

  async function user(name: string, options?: Parameters<typeof openUser>[4]): Promise<Page> {
    const opened = await openUser(browser, server.url, `${temp.dir}/${name}`, name, options);
    children.push(opened.host);
    users.push(opened); // its error list keeps filling while the test runs
    return opened.page;
  }

  const message = (page: Page, text: string) =>
    page.getByTestId('chat-message').filter({ hasText: text });

  it('lets two users talk, and keeps working while the server is down', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');

    await alice.getByTestId('chat-room-create').click();
    await alice.getByTestId('chat-room-name-input').fill('Team');
    await alice.getByTestId('chat-room-create-submit').click();
    const code = (await alice.getByTestId('chat-invite-code').textContent())!.trim();
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{12}$/);

    await bob.getByTestId('chat-join-code-input').fill(code);
    await bob.getByTestId('chat-join-submit').click();
    await bob.getByTestId('chat-room-item').filter({ hasText: 'Team' }).waitFor();

    await alice.getByTestId('chat-composer-input').fill('Hello Bob, welcome to the team');
    await alice.getByTestId('chat-composer-input').press('Enter');
    await message(bob, 'Hello Bob').waitFor();
    await bob.getByTestId('chat-composer-input').fill('Thanks Alice!');
    await bob.getByTestId('chat-composer-send').click();
    await message(alice, 'Thanks Alice').waitFor();
    await message(alice, 'Hello Bob').and(alice.locator('[data-state="sent"]')).waitFor();

    // The server goes away: both see the indicator within 2 s; Alice can still write.
    const stoppedAt = Date.now();
    await server.stop('SIGKILL');
    await alice.getByTestId('offline-indicator').waitFor({ state: 'visible', timeout: 2000 });
    await bob.getByTestId('offline-indicator').waitFor({ state: 'visible', timeout: 2000 });
    expect(Date.now() - stoppedAt).toBeLessThan(2000);
    await alice.getByTestId('chat-composer-input').fill('Written while offline');
    await alice.getByTestId('chat-composer-send').click();
    await message(alice, 'Written while offline')
      .and(alice.locator('[data-state="pending"]'))
      .waitFor();

    // Back on the same address: delivered once, the indicator clears.
    server = await startServer(`${temp.dir}/server`, ['--port', port]);
    await message(alice, 'Written while offline')
      .and(alice.locator('[data-state="sent"]'))
      .waitFor({ timeout: 15_000 });
    await message(bob, 'Written while offline').waitFor({ timeout: 15_000 });
    await alice.getByTestId('offline-indicator').waitFor({ state: 'detached' });
    await bob.getByTestId('offline-indicator').waitFor({ state: 'detached' });
    expect(await message(bob, 'Written while offline').count()).toBe(1);
    expect(await bob.getByTestId('chat-message').count()).toBe(3);

    // Search finds it, highlighted; the result jumps to the message.
    await bob.getByTestId('chat-search-input').fill('offline');
    const hit = bob.getByTestId('chat-search-result').first();
    await hit.waitFor();
    expect(await hit.locator('mark').textContent()).toBe('offline');
    await hit.click();
    await bob.locator('.message.focused').filter({ hasText: 'Written while offline' }).waitFor();

    // Away from the room, what is unread shows on the rail and in the window title.
    await bob.getByTestId('nav-settings').click();
    await alice.getByTestId('chat-composer-input').fill('Are you there?');
    await alice.getByTestId('chat-composer-input').press('Enter');
    await bob.getByTestId('nav-chats-unread').filter({ hasText: /^1$/ }).waitFor();
    expect(await bob.title()).toMatch(/^\(1\) Settings · Beseda$/);
    await bob.getByTestId('nav-chats').click();
    await message(bob, 'Are you there?').waitFor();
    await bob.getByTestId('nav-chats-unread').waitFor({ state: 'detached' });
    expect(await bob.title()).toBe('Chats · Beseda');

    // Too long is refused before sending, in words.
    await alice.getByTestId('chat-composer-input').fill('x'.repeat(4010));
    await alice.getByTestId('chat-composer-error').waitFor();
    expect(await alice.getByTestId('chat-composer-send').isDisabled()).toBe(true);

    expect(users.flatMap((u) => u.errors).filter((e) => !e.includes('WebSocket'))).toEqual([]);
  });

  it('keeps what was typed in each room across room switches and a reload, until it is sent', async () => {
    const carol = await user('Carol');
    const composer = carol.getByTestId('chat-composer-input');
    const openRoom = (name: string) =>
      carol.getByTestId('chat-room-item').filter({ hasText: name }).click();
    // The composer shows a value once its draft has loaded (a state, not a time).
    const shows = (body: string) =>
      carol.waitForFunction(
        (body) =>
          document.querySelector<HTMLTextAreaElement>('[data-testid="chat-composer-input"]')
            ?.value === body,
        body,
        { polling: 100 },
      );
    const saved = (name: string, body: string) =>
      carol.waitForFunction(
        async ([name, body]) => {
          const rooms = await window.api.call('rooms.list', undefined);
          const room = rooms.ok ? rooms.value.find((r) => r.name === name) : undefined;
          if (!room) return false;
          const draft = await window.api.call('drafts.get', { roomId: room.id });
          return draft.ok && draft.value === body;
        },
        [name, body] as const,
        { polling: 100 },
      );
    for (const name of ['Plans', 'Gossip']) {
      await carol.getByTestId('chat-room-create').click();
      await carol.getByTestId('chat-room-name-input').fill(name);
      await carol.getByTestId('chat-room-create-submit').click();
      await carol.getByTestId('chat-room-title').filter({ hasText: name }).waitFor();
    }

    await openRoom('Plans');
    await composer.fill('Half a thought about the plans');
    await openRoom('Gossip');
    await carol.getByTestId('chat-room-title').filter({ hasText: 'Gossip' }).waitFor();
    expect(await composer.inputValue()).toBe('');
    await composer.fill('Did you hear');
    await openRoom('Plans');
    await shows('Half a thought about the plans');
    await saved('Gossip', 'Did you hear');
    await saved('Plans', 'Half a thought about the plans');

    await carol.reload();
    await openRoom('Gossip');
    await shows('Did you hear');
    await composer.press('Enter');
    await message(carol, 'Did you hear').waitFor();
    await saved('Gossip', '');
    await openRoom('Plans');
    await shows('Half a thought about the plans');
    await openRoom('Gossip');
    expect(await composer.inputValue()).toBe('');

    // Formatting is the Markdown subset; HTML in a message is text, and nothing runs.
    await composer.fill('**Agenda** at https://example.org <img src=x onerror="window.pwned=1">');
    await composer.press('Enter');
    const formatted = message(carol, 'Agenda');
    await formatted.locator('strong').filter({ hasText: 'Agenda' }).waitFor();
    expect(await formatted.getByTestId('chat-message-link').getAttribute('href')).toBe(
      'https://example.org/',
    );
    expect(await formatted.locator('img').count()).toBe(0);
    expect(await carol.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
  });

  it('replies, reacts, edits and deletes while offline; the other side sees each once, in order', async () => {
    const dana = await user('Dana');
    const eve = await user('Eve');
    await dana.getByTestId('chat-room-create').click();
    await dana.getByTestId('chat-room-name-input').fill('Actions');
    await dana.getByTestId('chat-room-create-submit').click();
    const code = (await dana.getByTestId('chat-invite-code').textContent())!.trim();
    await eve.getByTestId('chat-join-code-input').fill(code);
    await eve.getByTestId('chat-join-submit').click();
    await eve.getByTestId('chat-room-item').filter({ hasText: 'Actions' }).click();

    const say = async (page: Page, text: string) => {
      await page.getByTestId('chat-composer-input').fill(text);
      await page.getByTestId('chat-composer-input').press('Enter');
      await message(page, text).and(page.locator('[data-state="sent"]')).waitFor();
    };
    // A reply quotes its original, so the original is the first row with its text.
    const original = (page: Page, text: string) => message(page, text).first();
    const act = async (page: Page, text: string, action: string) => {
      const row = original(page, text);
      await row.hover();
      await row.getByTestId(action).click();
    };
    await say(dana, 'Original plan');
    await say(dana, 'Oops, wrong room');
    // Eve typing shows at Dana's, and goes when her message arrives.
    const typing = dana.getByTestId('chat-typing');
    await eve.getByTestId('chat-composer-input').fill('What is');
    await typing.filter({ hasText: 'Eve is typing…' }).waitFor();
    await say(eve, 'What is the plan?');
    await typing.filter({ hasText: /^$/ }).waitFor();
    await original(dana, 'What is the plan?').waitFor();

    // Dana loses the server and does all four things offline.
    await server.stop('SIGKILL');
    await dana.getByTestId('offline-indicator').waitFor();
    await act(dana, 'What is the plan?', 'chat-message-reply');
    await dana.getByTestId('chat-reply-bar').waitFor();
    await dana.getByTestId('chat-composer-input').fill('See the revised one');
    await dana.getByTestId('chat-composer-input').press('Enter');
    await act(dana, 'What is the plan?', 'chat-message-react');
    await dana.getByTestId('chat-react-picker').getByTestId('chat-react-option').nth(3).click();
    await act(dana, 'Original plan', 'chat-message-edit');
    await dana.getByTestId('chat-edit-bar').waitFor();
    await dana.getByTestId('chat-composer-input').fill('Revised plan');
    await dana.getByTestId('chat-composer-input').press('Enter');
    await act(dana, 'Oops, wrong room', 'chat-message-delete');
    await dana.getByTestId('chat-delete-confirm').click();

    // Offline, Dana already sees what she did.
    const reply = message(dana, 'See the revised one');
    await reply
      .getByTestId('chat-message-reply-quote')
      .filter({ hasText: 'What is the plan?' })
      .waitFor();
    await original(dana, 'What is the plan?')
      .getByTestId('chat-reaction')
      .filter({ hasText: '1' })
      .waitFor();
    await message(dana, 'Revised plan').getByTestId('chat-message-edited').waitFor();
    await dana.getByTestId('chat-message-deleted').waitFor();

    // The server is back: Eve sees the reply, the reaction, the edit and the delete, once each.
    server = await startServer(`${temp.dir}/server`, ['--port', port]);
    await message(dana, 'See the revised one').and(dana.locator('[data-state="sent"]')).waitFor({
      timeout: 15_000,
    });
    const evesReply = message(eve, 'See the revised one');
    await evesReply.waitFor({ timeout: 15_000 });
    expect(await evesReply.getByTestId('chat-message-reply-quote').textContent()).toContain(
      'What is the plan?',
    );
    const question = original(eve, 'What is the plan?');
    const reaction = question.getByTestId('chat-reaction');
    await reaction.waitFor();
    expect(await reaction.getAttribute('data-emoji')).toBe('🎉');
    expect(await reaction.textContent()).toContain('1');
    await message(eve, 'Revised plan').getByTestId('chat-message-edited').waitFor();
    await eve.getByTestId('chat-message-deleted').waitFor();
    expect(await message(eve, 'Original plan').count()).toBe(0);
    expect(await message(eve, 'wrong room').count()).toBe(0);
    expect(await eve.getByTestId('chat-message').count()).toBe(4);
    expect(await eve.getByTestId('chat-reaction').count()).toBe(1);

    // Eve adds hers to the same emoji: Dana sees two, hers shown as pressed.
    await reaction.click();
    await original(dana, 'What is the plan?')
      .getByTestId('chat-reaction')
      .filter({ hasText: '2' })
      .waitFor();
    expect(await reaction.getAttribute('aria-pressed')).toBe('true');

    // The edit is what search finds; the old text is gone.
    await eve.getByTestId('chat-search-input').fill('Revised');
    await eve.getByTestId('chat-search-result').first().waitFor();
    await eve.getByTestId('chat-search-input').fill('Original');
    await eve.getByTestId('chat-search-empty').waitFor();

    // Typing that stops without a message expires on its own (after 6 s).
    await eve.getByTestId('chat-composer-input').fill('Never mind');
    await typing.filter({ hasText: 'Eve is typing…' }).waitFor();
    await typing.filter({ hasText: /^$/ }).waitFor({ timeout: 15_000 });

    // "@" completes the room's members; Dana, reading another room, sees the mention counted
    // apart, and marked in the message.
    await dana.getByTestId('chat-room-create').click();
    await dana.getByTestId('chat-room-name-input').fill('Elsewhere');
    await dana.getByTestId('chat-room-create-submit').click();
    await dana.getByTestId('chat-room-title').filter({ hasText: 'Elsewhere' }).waitFor();
    const composer = eve.getByTestId('chat-composer-input');
    await composer.fill('');
    await composer.pressSequentially('@Da');
    await eve.getByTestId('chat-mention-option').filter({ hasText: 'Dana' }).waitFor();
    await composer.press('Enter');
    expect(await composer.inputValue()).toBe('@Dana ');
    await composer.pressSequentially('can you check?');
    await composer.press('Enter');
    const badge = dana
      .getByTestId('chat-room-item')
      .filter({ hasText: 'Actions' })
      .getByTestId('chat-room-mentions');
    await badge.filter({ hasText: '@1' }).waitFor();
    await dana.getByTestId('chat-room-item').filter({ hasText: 'Actions' }).click();
    await message(dana, 'can you check?').getByTestId('chat-mention').waitFor();
    await badge.waitFor({ state: 'detached' });
  });

  it('notifies of new messages by the room’s level, not for the room in front, not while do-not-disturb is on; says who has seen', async () => {
    const frank = await user('Frank');
    // Gina granted notifications; each one the app makes is noted, then made as usual.
    const gina = await user('Gina', {
      permissions: ['notifications'],
      initScript: `(() => {
        const Real = window.Notification;
        window.__notifications = [];
        window.Notification = class extends Real {
          constructor(title, options) {
            super(title, options);
            window.__notifications.push({ title, body: options?.body ?? '', instance: this });
          }
        };
      })();`,
    });
    const shown = () =>
      gina.evaluate(() =>
        (
          window as unknown as { __notifications: { title: string; body: string }[] }
        ).__notifications.map((n) => `${n.title} | ${n.body}`),
      );
    // Waits until `count` notifications were made, and answers them all.
    const notified = async (count: number) => {
      await gina.waitForFunction(
        (n) => (window as unknown as { __notifications: unknown[] }).__notifications.length >= n,
        count,
      );
      return shown();
    };
    const setSwitch = async (testId: string, on: boolean) => {
      await gina.getByTestId(testId).setChecked(on);
      // The switch shows the saved setting: wait for it to come back.
      await gina
        .locator(`[data-testid="${testId}"]${on ? ':checked' : ':not(:checked)'}`)
        .waitFor();
    };
    const lastIn = (roomName: string) =>
      gina.getByTestId('chat-room-item').filter({ hasText: roomName }).locator('.room-last');
    const say = async (text: string) => {
      await frank.getByTestId('chat-composer-input').fill(text);
      await frank.getByTestId('chat-composer-input').press('Enter');
      await lastIn('Notices')
        .filter({ hasText: text.replace(/[*@]/g, '') })
        .waitFor();
    };
    await roomWith(frank, 'Notices', [gina]);
    await gina.getByTestId('chat-room-create').click();
    await gina.getByTestId('chat-room-name-input').fill('Quiet corner');
    await gina.getByTestId('chat-room-create-submit').click();
    await gina.getByTestId('chat-room-title').filter({ hasText: 'Quiet corner' }).waitFor();

    // Gina reads another room: Frank's message notifies, as plain text.
    await say('Lunch at **noon**');
    expect(await notified(1)).toEqual(['Frank in Notices | Lunch at noon']);

    // "Mentions only": an ordinary message is counted but does not notify; a mention does.
    await gina.getByTestId('chat-room-item').filter({ hasText: 'Notices' }).click();
    await gina.getByTestId('chat-room-menu').click();
    await gina.getByTestId('chat-room-notify-mentions').click();
    await gina
      .getByTestId('chat-room-item')
      .filter({ hasText: 'Notices' })
      .getByTestId('chat-room-notify-mark')
      .and(gina.locator('[data-level="mentions"]'))
      .waitFor();
    await gina.getByTestId('chat-room-item').filter({ hasText: 'Quiet corner' }).click();
    await say('An ordinary update');
    await say('@Gina please review');
    expect((await notified(2)).slice(1)).toEqual(['Frank in Notices | @Gina please review']);

    // Its click brings the room to the front.
    await gina.evaluate(() =>
      (window as unknown as { __notifications: { instance: Notification }[] }).__notifications[1]!
        .instance.onclick!(new Event('click')),
    );
    await gina.getByTestId('chat-room-title').filter({ hasText: 'Notices' }).waitFor();

    // The room in front does not notify; nor does anything while do-not-disturb is on.
    expect(await gina.evaluate(() => document.hasFocus())).toBe(true);
    await frank.getByTestId('chat-composer-input').fill('@Gina you are here');
    await frank.getByTestId('chat-composer-input').press('Enter');
    await message(gina, 'you are here').waitFor();
    await gina.getByTestId('nav-settings').click();
    await gina
      .getByTestId('settings-notify-permission')
      .and(gina.locator('[data-permission="granted"]'))
      .waitFor();
    await setSwitch('settings-notify-dnd', true);
    await gina.getByTestId('nav-chats').click();
    await gina.getByTestId('chat-room-item').filter({ hasText: 'Quiet corner' }).click();
    await say('@Gina while you rest');
    // Hidden text: who and where, not what.
    await gina.getByTestId('nav-settings').click();
    await setSwitch('settings-notify-dnd', false);
    await setSwitch('settings-notify-text', false);
    await gina.getByTestId('nav-chats').click();
    await say('@Gina the secret plan');
    expect((await notified(3)).slice(2)).toEqual(['Frank in Notices | Mentioned you']);

    // Frank has the room open: Gina's message is seen, and she is told so under it.
    await gina.getByTestId('chat-room-item').filter({ hasText: 'Notices' }).click();
    await gina.getByTestId('chat-composer-input').fill('Got it, thanks');
    await gina.getByTestId('chat-composer-input').press('Enter');
    await message(frank, 'Got it, thanks').waitFor();
    await gina.getByTestId('chat-seen-by').filter({ hasText: 'Seen by Frank' }).waitFor();
  });

  it('pastes an image that the other sees as a thumbnail and opens in the viewer; a renamed program is a file typed by its content', async () => {
    const hana = await user('Hana');
    const ivan = await user('Ivan');
    await roomWith(hana, 'Pictures', [ivan]);
    await ivan.getByTestId('chat-room-item').filter({ hasText: 'Pictures' }).click();
    const picture = (r: number, g: number, b: number) =>
      sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r, g, b } } })
        .png()
        .toBuffer();

    // A screenshot pasted into the composer becomes a chip, then a message.
    const pasted = await picture(200, 60, 60);
    await hana.getByTestId('chat-composer-input').focus();
    await hana.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
      document
        .querySelector('[data-testid="chat-composer-input"]')!
        .dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
    }, pasted.toString('base64'));
    await hana.getByTestId('chat-attachment').and(hana.locator('[data-ready="true"]')).waitFor();
    await hana.getByTestId('chat-composer-input').fill('Look at this');
    await hana.getByTestId('chat-composer-input').press('Enter');
    await hana.getByTestId('chat-attachments').waitFor({ state: 'detached' });
    // A second one from the file picker.
    await hana.getByTestId('chat-attach-input').setInputFiles({
      name: 'second.png',
      mimeType: 'image/png',
      buffer: await picture(60, 160, 60),
    });
    await hana.getByTestId('chat-attachment').and(hana.locator('[data-ready="true"]')).waitFor();
    await hana.getByTestId('chat-composer-send').click();

    // Ivan: thumbnails that load, the words with the first.
    const thumbs = ivan.getByTestId('chat-image-thumb');
    await thumbs.nth(1).waitFor();
    await message(ivan, 'Look at this').getByTestId('chat-image-thumb').waitFor();
    await expect(
      thumbs.evaluateAll((images) => images.map((i) => (i as HTMLImageElement).naturalWidth)),
    ).resolves.toEqual([480, 480]);

    // The viewer: the full image, the next one, and back.
    await ivan.getByTestId('chat-image').first().click();
    const viewer = ivan.getByTestId('chat-viewer');
    const full = viewer.getByTestId('chat-viewer-image');
    await full.and(ivan.locator('[data-full="true"]')).waitFor();
    await ivan.waitForFunction(
      () =>
        (document.querySelector('[data-testid="chat-viewer-image"]') as HTMLImageElement)
          ?.naturalWidth === 1600,
    );
    expect(await viewer.textContent()).toContain('1 of 2');
    await ivan.keyboard.press('ArrowRight');
    await viewer.filter({ hasText: '2 of 2' }).waitFor();
    await viewer.getByTestId('chat-viewer-zoom-in').click();
    expect(await viewer.getByTestId('chat-viewer-zoom').textContent()).toBe('100%');
    await viewer.getByTestId('chat-viewer-prev').click();
    await viewer.filter({ hasText: '1 of 2' }).waitFor();
    await ivan.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    // A program named like a document is a file card with the type found in its content.
    await hana.getByTestId('chat-attach-input').setInputFiles({
      name: 'notes.pdf',
      mimeType: 'application/pdf',
      buffer: fs.readFileSync(process.execPath).subarray(0, 256 * 1024),
    });
    await hana.getByTestId('chat-attachment').and(hana.locator('[data-ready="true"]')).waitFor();
    await hana.getByTestId('chat-composer-send').click();
    const card = ivan.getByTestId('chat-file').filter({ hasText: 'notes.pdf' });
    await card.waitFor();
    expect(await card.getAttribute('data-type')).toBe('application/x-elf');
    // Downloading it fetches it into the media cache and saves it as an attachment.
    const download = ivan.waitForEvent('download');
    await card.getByTestId('chat-file-download').click();
    expect((await download).suggestedFilename()).toBe('notes.pdf');

    // Any emoji as a reaction: the full picker, searched by name, served by the app itself.
    const row = message(ivan, 'Look at this');
    await row.hover();
    await row.getByTestId('chat-message-react').click();
    await ivan.getByTestId('chat-react-more').click();
    await ivan.getByTestId('chat-emoji-search').fill('rocket');
    await ivan.locator('[data-testid="chat-emoji-option"][aria-label="Rocket"]').click();
    await message(hana, 'Look at this')
      .getByTestId('chat-reaction')
      .and(hana.locator('[data-emoji="🚀"]'))
      .waitFor();
  });
});
