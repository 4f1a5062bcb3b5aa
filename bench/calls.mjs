// Group calls on this machine, every participant a real browser host (own data directory) with
// its own Chromium page and fake camera/microphone, on one real server. Phases (PHASES=...):
//   join2   time from pressing Join to the first decoded remote frame, 2 participants (RUNS)
//   join10  the same for the 10th joiner of a 10-participant call (RUNS), plus all 9 pictures
//   hold    a 10-participant call held HOLD_S seconds: lost connections, CPU and memory per page
//   record  CPU of a page while recording vs not, same call, same run (3 participants)
// Every participant of a call runs on this one 2-core machine, so N pages cost N times what one
// user's computer would carry.
import fs from 'node:fs';
import path from 'node:path';
import { fmt, launchChromium, median, quantile, renderers, startEntry, tempDir } from './lib.mjs';

const PHASES = (process.env.PHASES ?? 'join2,join10,hold,record').split(',');
const PEOPLE = Number(process.env.PEOPLE ?? 10);
const RUNS = Number(process.env.RUNS ?? 10);
const HOLD_S = Number(process.env.HOLD_S ?? 60);

/** Progress on stderr, so a slow phase shows where it is (the figures go to stdout). */
const t0 = Date.now();
const step = (what) =>
  process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${what}\n`);

const dir = tempDir('beseda-bench-calls-');
const server = await startEntry('dist/server/server.cjs', [
  // Every simulated user signs up from this one address.
  '--new-identities-burst',
  '100000',
  '--port',
  '0',
  '--data-dir',
  path.join(dir, 'server'),
]);
const browser = await launchChromium();
const hosts = [];

async function participant(name) {
  const host = await startEntry('dist/main/web-host.cjs', [
    '--port',
    '0',
    '--data-dir',
    path.join(dir, `${name}-${hosts.length}`),
    '--server',
    server.url,
  ]);
  hosts.push(host);
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  if (process.env.VERBOSE)
    page.on(
      'console',
      (m) => m.type() !== 'log' && step(`${name} console ${m.type()}: ${m.text()}`),
    );
  await page.goto(host.url);
  await page.evaluate((displayName) => window.api.call('identity.create', { displayName }), name);
  await page.getByTestId('chat-room-create').waitFor();
  return { name, page };
}

const api = (page, channel, input) =>
  page
    .evaluate(([c, i]) => window.api.call(c, i), [channel, input])
    .then((r) => {
      if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
      return r.value;
    });

/** n participants in one room; the first created it. */
async function world(n, label) {
  const people = [];
  for (let i = 0; i < n; i++) people.push(await participant(`${label}${i + 1}`));
  step(`${n} participants signed in`);
  await people[0].page.waitForFunction(() => true);
  let room;
  for (let attempt = 0; !room; attempt++) {
    try {
      room = await api(people[0].page, 'rooms.create', { name: `${label} room` });
    } catch (error) {
      if (attempt > 20) throw error;
      await new Promise((r) => setTimeout(r, 250)); // still signing in
    }
  }
  for (const p of people.slice(1)) {
    for (let attempt = 0; ; attempt++) {
      try {
        await api(p.page, 'rooms.join', { code: room.inviteCode });
        break;
      } catch (error) {
        if (attempt > 20) throw error;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }
  for (const p of people) {
    await p.page
      .getByTestId('chat-room-item')
      .filter({ hasText: `${label} room` })
      .click();
  }
  step(`${n} participants in one room`);
  return people;
}

/**
 * Presses Start/Join in the room and measures, inside the page, from the click event to the
 * first decoded frame of a remote participant, and to `all` remote pictures.
 */
async function pressJoin(page, all) {
  return page.evaluate(async (wanted) => {
    const button =
      document.querySelector('[data-testid="call-join"]') ??
      document.querySelector('[data-testid="call-start"]');
    const clicked = performance.now();
    button.click();
    let first = null;
    for (;;) {
      const decoded = [
        ...document.querySelectorAll('[data-testid="call-participant"] video'),
      ].filter((v) => v.readyState >= 2 && v.videoWidth > 0).length;
      if (decoded > 0 && first === null) first = performance.now() - clicked;
      if (decoded >= wanted) return { first, all: performance.now() - clicked };
      if (performance.now() - clicked > 60_000) return { first, all: null };
      await new Promise((r) => setTimeout(r, 10));
    }
  }, all);
}

/** Clicks inside the page: Playwright's actionability checks wait for frames a loaded page lacks. */
const press = (page, testId) =>
  page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.click(), testId);

async function leave(page) {
  await press(page, 'call-leave');
  await press(page, 'nav-chats');
}

function summary(label, values) {
  const ok = values.filter((v) => v !== null);
  if (!ok.length) return `${label}: never within 60 s (${values.length} runs)`;
  return `${label}: p50 ${fmt(median(ok))}, p90 ${fmt(quantile(ok, 0.9))}, min ${fmt(Math.min(...ok))}, max ${fmt(Math.max(...ok))} (${ok.length}/${values.length} runs)`;
}

function cpuBetween(before, after, seconds) {
  return after
    .map((a) => {
      const b = before.find((x) => x.pid === a.pid);
      return b
        ? { pid: a.pid, cpuPct: ((a.cpu - b.cpu) / seconds) * 100, rssMb: a.rss / 2 ** 20 }
        : null;
    })
    .filter(Boolean);
}

try {
  if (PHASES.includes('join2')) {
    const [a, b] = await world(2, 'Two');
    const times = [];
    for (let run = 0; run < RUNS; run++) {
      await a.page.getByTestId('call-start').click();
      await a.page.getByTestId('call-leave').waitFor();
      await a.page.getByTestId('nav-chats').click();
      await b.page.getByTestId('call-join').waitFor();
      const t = await pressJoin(b.page, 1);
      times.push(t.first);
      await leave(b.page);
      await a.page.getByTestId('nav-call').click();
      await leave(a.page);
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log(summary('join -> first remote frame, 2 participants', times));
  }

  if (PHASES.includes('join10') || PHASES.includes('hold')) {
    const people = await world(PEOPLE, 'Ten');
    await people[0].page.getByTestId('call-start').click();
    // One joiner at a time, each once the call before them has settled, as people trickle into
    // a meeting; how long each needs until all its links are up is printed.
    for (const [i, p] of people.slice(1, PEOPLE - 1).entries()) {
      await p.page.getByTestId('call-join').waitFor({ timeout: 60_000 });
      const started = Date.now();
      await press(p.page, 'call-join');
      const up = await p.page
        .waitForFunction(
          (n) =>
            document.querySelectorAll('[data-testid="call-participant"][data-state="connected"]')
              .length >= n,
          i + 1,
          { timeout: 60_000, polling: 500 },
        )
        .then(() => true)
        .catch(() => false);
      step(
        `${p.name} joined: ${i + 1} links ${up ? 'up' : 'NOT up'} after ${Date.now() - started} ms`,
      );
    }
    const tenth = people[PEOPLE - 1];
    const firsts = [];
    const alls = [];
    if (PHASES.includes('join10')) {
      for (let run = 0; run < RUNS; run++) {
        await tenth.page.getByTestId('call-join').waitFor({ timeout: 60_000 });
        const t = await pressJoin(tenth.page, PEOPLE - 1);
        firsts.push(t.first);
        alls.push(t.all);
        console.log(
          `join10 run ${run + 1}: first ${t.first?.toFixed(0)} ms, all ${PEOPLE - 1} ${t.all?.toFixed(0)} ms`,
        );
        if (run < RUNS - 1) {
          await leave(tenth.page);
          await new Promise((r) => setTimeout(r, 1500));
        }
      }
      console.log(summary(`join -> first remote frame, joiner ${PEOPLE} of ${PEOPLE}`, firsts));
      console.log(
        summary(`join -> all ${PEOPLE - 1} remote pictures, joiner ${PEOPLE} of ${PEOPLE}`, alls),
      );
    } else {
      await tenth.page.getByTestId('call-join').waitFor();
      await pressJoin(tenth.page, PEOPLE - 1);
    }

    if (PHASES.includes('hold')) {
      // Each page watches its own links once a second (cheap, and does not depend on how fast
      // the busy pages answer the bench): a link is lost when it was connected and is not now.
      await Promise.all(
        people.map((p) =>
          p.page.evaluate(() => {
            const links = {};
            window.__links = links;
            setInterval(() => {
              for (const tile of document.querySelectorAll('[data-testid="call-participant"]')) {
                const name = tile.getAttribute('data-name');
                const state = tile.getAttribute('data-state');
                if (!name || !state) continue;
                const link = (links[name] ??= { up: 0, down: 0, drops: 0, last: null });
                if (state === 'connected') link.up++;
                else link.down++;
                if (link.last === 'connected' && state !== 'connected') link.drops++;
                link.last = state;
              }
            }, 1000);
          }),
        ),
      );
      const before = renderers();
      const started = Date.now();
      await new Promise((r) => setTimeout(r, HOLD_S * 1000));
      const seconds = (Date.now() - started) / 1000;
      const per = cpuBetween(before, renderers(), seconds).sort((x, y) => y.cpuPct - x.cpuPct);
      const links = (
        await Promise.all(people.map((p) => p.page.evaluate(() => window.__links)))
      ).flatMap((l) => Object.values(l));
      const sum = (f) => links.reduce((s, l) => s + f(l), 0);
      console.log(
        `hold: ${PEOPLE} participants for ${seconds.toFixed(0)} s; links seen ${links.length} of ${PEOPLE * (PEOPLE - 1)}; ` +
          `connected at the end ${links.filter((l) => l.last === 'connected').length}; ` +
          `link-seconds connected ${sum((l) => l.up)} of ${sum((l) => l.up + l.down)}; drops ${sum((l) => l.drops)}`,
      );
      console.log(
        `hold: CPU per renderer (% of one core): ${per.map((p) => p.cpuPct.toFixed(0)).join(', ')}; ` +
          `total ${per.reduce((s, p) => s + p.cpuPct, 0).toFixed(0)}% of ${2 * 100}% available`,
      );
      console.log(
        `hold: memory per renderer (MB RSS): ${per.map((p) => p.rssMb.toFixed(0)).join(', ')}; ` +
          `median ${median(per.map((p) => p.rssMb)).toFixed(0)} MB`,
      );
    }
    for (const p of people) await leave(p.page).catch(() => undefined);
    await Promise.all(people.map((p) => p.page.context().close()));
  }

  if (PHASES.includes('record')) {
    const people = await world(3, 'Rec');
    await people[0].page.getByTestId('call-start').click();
    for (const p of people.slice(1)) {
      await p.page.getByTestId('call-join').waitFor();
      await p.page.getByTestId('call-join').click();
    }
    await new Promise((r) => setTimeout(r, 5000)); // settle
    const window = 20;
    const cpuOf = async () => {
      const a = renderers();
      await new Promise((r) => setTimeout(r, window * 1000));
      return cpuBetween(a, renderers(), window);
    };
    const idle = await cpuOf();
    await people[0].page.getByTestId('call-record').click();
    await people[0].page.getByTestId('call-recording-indicator').waitFor();
    const recording = await cpuOf();
    await people[0].page.getByTestId('call-record').click();
    // The recording page is the renderer whose CPU rose most.
    const deltas = recording.map((r) => ({
      ...r,
      delta: r.cpuPct - (idle.find((i) => i.pid === r.pid)?.cpuPct ?? 0),
    }));
    const recorder = deltas.sort((x, y) => y.delta - x.delta)[0];
    const before = idle.find((i) => i.pid === recorder.pid);
    console.log(
      `record: recording page CPU ${recorder.cpuPct.toFixed(0)}% while recording vs ${before.cpuPct.toFixed(0)}% not ` +
        `(${(recorder.cpuPct / before.cpuPct).toFixed(2)}x, ${window} s each, 3 participants); ` +
        `all renderers ${recording.reduce((s, r) => s + r.cpuPct, 0).toFixed(0)}% vs ${idle.reduce((s, r) => s + r.cpuPct, 0).toFixed(0)}%`,
    );
  }
} finally {
  await browser.close();
  await Promise.all(hosts.map((h) => h.stop()));
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
