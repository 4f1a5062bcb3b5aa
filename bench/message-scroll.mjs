// A room of 10,000 messages in the window: opening it until its newest message is visible, and
// loading its whole history, then scrolling through it while a requestAnimationFrame loop records
// frame times. The windowed list against the plain list (every message a DOM row, as before) in
// the same run, same server, same room. A second room of as many messages, where every fifth
// answers the one before it and every other one carries two reactions, is opened in the same
// run, so that what replies and reactions cost is read against the plain room.
import { fmt, launchChromium, median, quantile, startEntry, tempDir } from './lib.mjs';
import { ask, signedIn } from './protocol.mjs';

const COUNT = Number(process.env.COUNT ?? 10_000);
const OPENS = Number(process.env.OPENS ?? 5);
const LOAD_BUDGET_MS = Number(process.env.LOAD_BUDGET_MS ?? 300_000);
const SCROLL_STEPS = Number(process.env.SCROLL_STEPS ?? 300);

const unlimited = ['100000', '100000'];
const server = await startEntry('dist/server/server.cjs', [
  '--tls',
  'off',
  '--port',
  '0',
  '--data-dir',
  tempDir('beseda-bench-scroll-server-'),
  '--rate-limit-per-sec',
  unlimited[0],
  '--rate-limit-burst',
  unlimited[1],
  '--identity-rate-limit-per-sec',
  unlimited[0],
  '--identity-rate-limit-burst',
  unlimited[1],
  '--new-identity-rate-limit-burst',
  unlimited[1],
]);
const host = await startEntry('dist/main/web-host.cjs', [
  '--port',
  '0',
  '--data-dir',
  tempDir('beseda-bench-scroll-app-'),
  '--server',
  server.url,
]);
const browser = await launchChromium();
try {
  // Bob writes the history: COUNT messages, pipelined in slices of 200.
  const bob = await signedIn(server.url, 'Bob');
  bob.setMaxListeners(0);
  const { room } = await ask(bob, { t: 'room.create', name: 'Big' });
  const started = performance.now();
  for (let i = 0; i < COUNT; i += 200) {
    const slice = [];
    for (let j = i; j < Math.min(COUNT, i + 200); j++)
      slice.push(
        ask(bob, {
          t: 'msg.send',
          roomId: room.id,
          clientId: `big-${String(j).padStart(8, '0')}`,
          body: `Message ${j}: ${'a few words of ordinary chat '.repeat(1 + (j % 4))}`,
        }),
      );
    await Promise.all(slice);
  }
  console.log(`history: ${COUNT} messages written in ${fmt(performance.now() - started)}`);
  const { room: rich } = await ask(bob, { t: 'room.create', name: 'Rich' });
  const richStarted = performance.now();
  const richId = (j) => `rich-${String(j).padStart(8, '0')}`;
  for (let i = 0; i < COUNT; i += 200) {
    const slice = [];
    for (let j = i; j < Math.min(COUNT, i + 200); j++)
      slice.push(
        ask(bob, {
          t: 'msg.send',
          roomId: rich.id,
          clientId: richId(j),
          body: `Rich ${j}: ${'a few words of ordinary chat '.repeat(1 + (j % 4))}`,
          ...(j % 5 === 4 ? { replyTo: richId(j - 1) } : {}),
        }),
      );
    await Promise.all(slice);
  }
  for (let i = 0; i < COUNT; i += 400) {
    const slice = [];
    for (let j = i; j < Math.min(COUNT, i + 400); j += 2)
      for (const emoji of ['👍', '🎉'])
        slice.push(
          ask(bob, {
            t: 'msg.send',
            roomId: rich.id,
            clientId: `${emoji === '👍' ? 'up' : 'ta'}-${String(j).padStart(8, '0')}`,
            body: emoji,
            kind: 'react',
            target: richId(j),
          }),
        );
    await Promise.all(slice);
  }
  console.log(
    `history: ${COUNT} messages with ${COUNT / 5} replies and ${COUNT} reactions written in ${fmt(performance.now() - richStarted)}`,
  );

  const results = {};
  for (const mode of (process.env.MODES ?? 'plain,windowed').split(',')) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    if (mode === 'plain')
      await context.addInitScript(() => localStorage.setItem('beseda:windowed-from', '1e9'));
    const page = await context.newPage();
    await page.goto(host.url);
    const onboarding = page.getByTestId('onboarding-name-input');
    await onboarding.or(page.getByTestId('chat-room-create')).first().waitFor();
    if (await onboarding.isVisible()) {
      await onboarding.fill('Alice');
      await page.getByTestId('onboarding-submit').click();
    }
    await page.getByTestId('chat-room-create').waitFor();
    const items = page.getByTestId('chat-room-item');
    if ((await items.filter({ hasText: 'Big' }).count()) === 0) {
      await page.getByTestId('chat-join-code-input').fill(room.inviteCode);
      await page.getByTestId('chat-join-submit').click();
      await items.filter({ hasText: 'Big' }).waitFor();
      await page.getByTestId('chat-join-code-input').fill(rich.inviteCode);
      await page.getByTestId('chat-join-submit').click();
      await items.filter({ hasText: 'Rich' }).waitFor();
      await page.getByTestId('chat-room-create').click();
      await page.getByTestId('chat-room-name-input').fill('Small');
      await page.getByTestId('chat-room-create-submit').click();
    }
    // Both rooms wholly here (caught up: COUNT entries in Big, twice that in Rich) before
    // anything is timed.
    await page.waitForFunction(
      async (entries) => {
        const usage = await window.api.call('storage.usage', undefined);
        return usage.ok && usage.value.find((u) => u.category === 'messages').entries >= entries;
      },
      3 * COUNT,
      { polling: 500, timeout: 600_000 },
    );
    // Opening: from the click on the room to its newest message on screen. The rich room first
    // (and only when windowed), so that the big one is open for what follows.
    const openRoom = async (name, newestText) => {
      const opens = [];
      for (let i = 0; i < OPENS; i++) {
        await items.filter({ hasText: 'Small' }).click();
        await page.getByRole('heading', { name: 'Small', level: 2 }).waitFor();
        const t0 = await page.evaluate(() => performance.now());
        await items.filter({ hasText: name }).click();
        await page.locator('.message-body').getByText(newestText).waitFor();
        await page.waitForFunction((text) => {
          const el = [...document.querySelectorAll('[data-testid="chat-message"]')].find((m) =>
            m.textContent.includes(text),
          );
          if (!el) return false;
          const box = el.getBoundingClientRect();
          return box.bottom <= window.innerHeight && box.top >= 0;
        }, newestText);
        opens.push((await page.evaluate(() => performance.now())) - t0);
      }
      return opens;
    };
    const richOpens = mode === 'windowed' ? await openRoom('Rich', `Rich ${COUNT - 1}:`) : null;
    const opens = await openRoom('Big', `Message ${COUNT - 1}:`);
    // Loading the whole history: the windowed list loads older pages as its top is reached;
    // the plain list by its "Load older messages" button (scrolling there needs one per page).
    await page.locator('.message-area').hover();
    const first = page.locator('.message-body').getByText('Message 0: ');
    const loadStart = performance.now();
    while (performance.now() - loadStart < LOAD_BUDGET_MS && !(await first.count())) {
      if (mode === 'plain') {
        const before = await page.getByTestId('chat-message').count();
        await page.evaluate(() => document.querySelector('.load-older')?.click());
        await page.waitForFunction(
          (n) => document.querySelectorAll('[data-testid="chat-message"]').length > n,
          before,
        );
      } else {
        await page.mouse.wheel(0, -3000);
        await page.waitForTimeout(16);
        if (process.env.DEBUG)
          console.log(
            await page.evaluate(() => {
              const s = document.querySelector('.messages');
              return `${document.querySelectorAll('[data-testid="chat-message"]').length} rows, top ${s?.scrollTop}, windowed ${s?.classList.contains('windowed')}`;
            }),
          );
      }
    }
    const loadMs = performance.now() - loadStart;
    const reachedTop = (await first.count()) > 0;
    // Scrolling through it: from the first message down, in equal wheel steps, frame times from
    // a requestAnimationFrame loop.
    await page.evaluate(() => {
      window.__long = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__long.push(entry.duration);
      }).observe({ type: 'longtask' });
      window.__frames = [];
      let last = performance.now();
      const loop = (now) => {
        window.__frames.push(now - last);
        last = now;
        if (window.__recording) requestAnimationFrame(loop);
      };
      window.__recording = true;
      requestAnimationFrame(loop);
    });
    const scrollStart = performance.now();
    for (let i = 0; i < SCROLL_STEPS; i++) {
      await page.mouse.wheel(0, 800);
      await page.waitForTimeout(16);
    }
    const scrollMs = performance.now() - scrollStart;
    const frames = await page.evaluate(() => {
      window.__recording = false;
      return window.__frames.slice(1);
    });
    const { longTasks, blockingMs, heapMb, domNodes } = await page.evaluate(() => ({
      longTasks: window.__long.length,
      // Total blocking time: what each long task held the main thread past 50 ms.
      blockingMs: window.__long.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
      heapMb: performance.memory ? performance.memory.usedJSHeapSize / 1048576 : NaN,
      domNodes: document.getElementsByTagName('*').length,
    }));
    const rows = await page.getByTestId('chat-message').count();
    results[mode] = {
      opens,
      richOpens,
      frames,
      scrollMs,
      loadMs,
      reachedTop,
      rows,
      longTasks,
      blockingMs,
      heapMb,
      domNodes,
    };
    await context.close();
  }

  for (const [mode, r] of Object.entries(results)) {
    console.log(
      `${mode.padEnd(8)} open to newest visible: median ${fmt(median(r.opens))} (${OPENS} opens); ` +
        `whole history loaded in ${(r.loadMs / 1000).toFixed(1)} s${r.reachedTop ? '' : ' (NOT all: budget spent)'}; ` +
        `${SCROLL_STEPS} wheel steps down: frame p50 ${fmt(quantile(r.frames, 0.5))}, p95 ${fmt(quantile(r.frames, 0.95))}, ` +
        `max ${fmt(Math.max(...r.frames))} over ${r.frames.length} frames, ${r.longTasks} long tasks ` +
        `(blocking ${fmt(r.blockingMs)}); ${r.rows} message rows, ${r.domNodes} DOM nodes, ` +
        `JS heap ${r.heapMb.toFixed(0)} MB`,
    );
  }
  const w = results.windowed;
  if (w?.richOpens)
    console.log(
      `open with replies and reactions (windowed): median ${fmt(median(w.richOpens))} against ` +
        `${fmt(median(w.opens))} without them: ${(median(w.richOpens) / median(w.opens)).toFixed(2)}x`,
    );
  const p95 = (mode) => quantile(results[mode].frames, 0.95);
  if (results.plain && results.windowed)
    console.log(
      `frame p95 windowed/plain: ${(p95('windowed') / p95('plain')).toFixed(2)}x; ` +
        `open windowed/plain: ${(median(results.windowed.opens) / median(results.plain.opens)).toFixed(2)}x`,
    );
} finally {
  await browser.close();
  await host.stop();
  await server.stop();
}
