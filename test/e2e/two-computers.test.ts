/**
 * Two default installations on two computers: Alice's app hosts for others (Settings > Server),
 * Bob's runs in a network namespace of the test's own (his "computer", reaching Alice only over
 * the veth pair the test made). Bob joins Alice's room from the invite link alone, is asked first,
 * talks both ways, and after a restart his app is back on Alice's server. A revoked code and a
 * different server at Alice's address are refused in words; one click takes Bob back home.
 */
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, collectPageErrors, explained, launchChromium } from '../support/chromium';
import { makeNamespace, type TestNamespace } from '../support/netns';
import { startServer, startWebHost, type ChildService } from '../support/processes';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/ws-client';

describe('two computers: hosting, invite links that carry the server, pinned identity', () => {
  const temp = makeTempDir();
  let ns: TestNamespace;
  let aliceBrowser: Browser;
  let bobBrowser: Browser;
  const children: ChildService[] = [];

  beforeAll(async () => {
    ns = makeNamespace();
    aliceBrowser = await launchChromium();
    // Bob's Chromium runs on his "computer" too: it talks to his app on that machine's loopback.
    bobBrowser = await launchChromium([], ns.wrapper(chromiumPath(), temp.dir));
  });
  afterAll(async () => {
    await aliceBrowser?.close();
    await bobBrowser?.close();
    await Promise.all(children.map((c) => c.stop()));
    ns?.remove();
    temp.cleanup();
  });

  async function open(
    browser: Browser,
    name: string,
    prefix: string[] = [],
    onboard = true,
  ): Promise<{ page: Page; host: ChildService; errors: string[] }> {
    const host = await startWebHost(`${temp.dir}/${name}`, [], prefix);
    children.push(host);
    const page = await browser.newPage({ locale: 'en-US' });
    const errors = collectPageErrors(page);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(host.url);
    // More patience than usual for the first screen: this test's apps start while another
    // "computer" is being wired up, on a machine that runs other suites at the same time. What
    // the page showed and the host logged go with a failure.
    await explained(page, [...errors, ...host.log().split('\n').slice(-15)], async () => {
      if (onboard) {
        await page.getByTestId('onboarding-name-input').fill(name, { timeout: 40_000 });
        await page.getByTestId('onboarding-submit').click();
      }
      await page.getByTestId('chat-room-create').waitFor({ timeout: 40_000 });
    });
    return { page, host, errors };
  }

  const message = (page: Page, text: string) =>
    page.getByTestId('chat-message').filter({ hasText: text });

  it('lets Bob join Alice’s room on her computer from the link alone, and keeps him there', async () => {
    const alice = await open(aliceBrowser, 'Alice');
    // Alice lets others join her computer.
    await alice.page.getByTestId('nav-settings').click();
    await explained(alice.page, [...alice.errors, ...alice.host.log().split('\n').slice(-15)], () =>
      alice.page.getByTestId('settings-hosting-toggle').check({ timeout: 40_000 }),
    );
    const reachable = alice.page
      .getByTestId('settings-hosting-address')
      .filter({ hasText: ns.hostAddress });
    await reachable.and(alice.page.locator('[data-reachable="true"]')).waitFor();
    await alice.page.getByTestId('settings-hosting-announced').waitFor();
    const fingerprint = (await alice.page
      .getByTestId('settings-hosting-fingerprint')
      .textContent())!.trim();
    const port = Number(/:(\d+)/.exec((await reachable.textContent())!)![1]);

    await alice.page.getByTestId('nav-chats').click();
    await alice.page.getByTestId('chat-room-create').click();
    await alice.page.getByTestId('chat-room-name-input').fill('Team');
    await alice.page.getByTestId('chat-room-create-submit').click();
    await alice.page.getByTestId('chat-invite-code').waitFor();
    // The link names the address Bob can reach (the one the test made) and Alice's identity.
    const address = `wss://${ns.hostAddress}:${port}/ws`;
    const choice = alice.page.getByTestId('chat-invite-address');
    const code = (await alice.page.getByTestId('chat-invite-code').textContent())!.trim();
    const expected = `beseda://join/${ns.hostAddress}:${port}/${code}#${fingerprint.replace(/ /g, '')}`;
    const link = alice.page.getByTestId('chat-invite-link').filter({ hasText: expected });
    // The address choice appears once the hosting status has arrived (this computer has its own
    // network and the test's veth, so two addresses); until then the link may name another.
    await waitFor(
      async () => {
        if (await choice.count()) await choice.selectOption(address);
        return (await link.count()) > 0;
      },
      30_000,
      'the invite link for the address Bob can reach',
    );
    await alice.page.getByTestId('chat-composer-input').fill('Welcome to the team room');
    await alice.page.getByTestId('chat-composer-input').press('Enter');

    // Bob, on his own computer with his own embedded server, pastes the link.
    const bob = await open(bobBrowser, 'Bob', ns.exec);
    await bob.page.getByTestId('chat-join-code-input').fill(expected);
    await bob.page.getByTestId('chat-join-submit').click();
    // Asked first: whose server, where, which identity.
    await bob.page.getByTestId('invite-confirm').waitFor();
    await expect(bob.page.getByTestId('invite-confirm-address').textContent()).resolves.toBe(
      `${ns.hostAddress}:${port}`,
    );
    await expect(bob.page.getByTestId('invite-confirm-fingerprint').textContent()).resolves.toBe(
      fingerprint,
    );
    expect(
      (await bob.page.getByTestId('invite-confirm-name').textContent())!.length,
    ).toBeGreaterThan(0);
    await bob.page.getByTestId('invite-confirm-accept').click();
    await bob.page
      .getByTestId('chat-room-item')
      .filter({ hasText: 'Team' })
      .waitFor({ timeout: 30_000 });
    await message(bob.page, 'Welcome to the team room').waitFor();
    await bob.page
      .getByTestId('current-server-name')
      .filter({ hasText: `${ns.hostAddress}:${port}` })
      .waitFor();

    // Both ways.
    await bob.page.getByTestId('chat-composer-input').fill('Hi Alice, Bob here');
    await bob.page.getByTestId('chat-composer-input').press('Enter');
    await message(alice.page, 'Hi Alice, Bob here').waitFor();
    await alice.page.getByTestId('chat-composer-input').fill('Hello Bob');
    await alice.page.getByTestId('chat-composer-input').press('Enter');
    await message(bob.page, 'Hello Bob').waitFor();

    // Bob's app restarts: back on Alice's server, with the room and its history.
    await bob.page.close();
    await bob.host.stop();
    const bobAgain = await open(bobBrowser, 'Bob', ns.exec, false);
    await bobAgain.page
      .getByTestId('current-server-name')
      .filter({ hasText: `${ns.hostAddress}:${port}` })
      .waitFor();
    await bobAgain.page.getByTestId('chat-room-item').filter({ hasText: 'Team' }).click();
    await message(bobAgain.page, 'Hello Bob').waitFor();
    await bobAgain.page.getByTestId('chat-composer-input').fill('Back after a restart');
    await bobAgain.page.getByTestId('chat-composer-input').press('Enter');
    await message(alice.page, 'Back after a restart').waitFor();

    // Alice makes a new code: the old link is refused in words.
    await alice.page.getByTestId('chat-invite-reset').click();
    await alice.page.getByTestId('chat-invite-code').filter({ hasNotText: code }).waitFor();
    await bobAgain.page.getByTestId('chat-join-code-input').fill(expected);
    await bobAgain.page.getByTestId('chat-join-submit').click();
    await bobAgain.page.getByTestId('chat-join-error').filter({ hasText: 'revoked' }).waitFor();

    // Alice stops hosting; another server takes her address: Bob's app refuses it in words.
    await alice.page.getByTestId('nav-settings').click();
    await alice.page.getByTestId('settings-hosting-toggle').uncheck();
    await alice.page.getByTestId('settings-hosting-on').waitFor({ state: 'detached' });
    const impostor = await startServer(`${temp.dir}/impostor`, [
      '--host',
      ns.hostAddress,
      '--port',
      String(port),
    ]);
    children.push(impostor);
    const impostorFingerprint = (await waitFor(
      () => /^fingerprint: (.+)$/m.exec(impostor.output())?.[1],
      5000,
      'the other server to print its fingerprint',
    ))!;
    const problem = bobAgain.page.getByTestId('current-server-identity-problem');
    await problem.filter({ hasText: impostorFingerprint }).waitFor({ timeout: 30_000 });
    await expect(problem.textContent()).resolves.toContain(fingerprint);

    // One click back to Bob's own computer.
    await bobAgain.page.getByTestId('server-switch-back').click();
    await bobAgain.page
      .getByTestId('current-server-name')
      .filter({ hasText: 'this computer' })
      .waitFor({ timeout: 15_000 });

    for (const user of [alice, bobAgain]) expect(user.errors).toEqual([]);
  });
});
