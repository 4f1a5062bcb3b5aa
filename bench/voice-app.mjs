#!/usr/bin/env node
// What voice control costs in the app as a user runs it: the browser host's page, a fake
// microphone saying "hey. louder" every few seconds, the shared English test model installed
// through the Voice screen. The page's renderer process (its workers with it: vosk-browser's and
// the voice detector's) is sampled every second for HOLD_S seconds with voice control off, on
// with the Voice screen in front (its level meter drawn), on behind the Chats screen, and off
// again, all in one run: resident memory, CPU, and the commands that ran.
//
//   npm run bench:voice:app            HOLD_S=60 by default
import fs from 'node:fs';
import path from 'node:path';
import {
  launchChromium,
  loadModule,
  median,
  renderers,
  ROOT,
  startEntry,
  tempDir,
} from './lib.mjs';

const HOLD_S = Number(process.env.HOLD_S ?? 60);
const MODEL = path.resolve(ROOT, '../shared/models/vosk-model-synth-en-espeak.tar.gz');

const t0 = Date.now();
const step = (what) =>
  process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${what}\n`);

const dir = tempDir('beseda-bench-voice-app-');
const { speechWav } = await loadModule('test/support/speech.ts');
const microphone = speechWav(dir, 'hey-louder', 'hey. louder', { padAfter: 3 });
const server = await startEntry('dist/server/server.cjs', [
  '--port',
  '0',
  '--data-dir',
  path.join(dir, 'server'),
]);
const host = await startEntry('dist/main/web-host.cjs', [
  '--port',
  '0',
  '--data-dir',
  path.join(dir, 'vera'),
  '--server',
  server.url,
]);
const browser = await launchChromium([`--use-file-for-fake-audio-capture=${microphone}`]);

/** The page's renderer: resident memory and CPU seconds, summed over renderer processes. */
function sample() {
  const list = renderers();
  return {
    at: Date.now(),
    rss: list.reduce((sum, r) => sum + r.rss, 0),
    cpu: list.reduce((sum, r) => sum + r.cpu, 0),
  };
}

/** CPU seconds per thread name (CrRendererMain, DedicatedWorker, AudioWorklet…) of the renderers. */
function threads() {
  const byName = new Map();
  for (const { pid } of renderers()) {
    const dir = `/proc/${pid}/task`;
    for (const tid of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const cpu = (Number(fields[11]) + Number(fields[12])) / 100;
        byName.set(name, (byName.get(name) ?? 0) + cpu);
      } catch {
        // gone meanwhile
      }
    }
  }
  return byName;
}

/** Commands that ran, from the history main keeps (whichever screen is in front). */
async function commandsRun(page) {
  const result = await page.evaluate(() =>
    window.api.call('voice.history.list', { query: 'system.volumeUp', limit: 1000 }),
  );
  if (!result.ok) throw new Error(`voice.history.list: ${result.error.message}`);
  return result.value.filter((entry) => entry.outcome === 'done').length;
}

/** HOLD_S seconds of samples, one a second: median and highest RSS, CPU share, commands run. */
async function hold(page, label) {
  const commandsBefore = await commandsRun(page);
  const cpuBefore = threads();
  const samples = [sample()];
  for (let i = 0; i < HOLD_S; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    samples.push(sample());
  }
  const first = samples[0];
  const last = samples.at(-1);
  const mb = (bytes) => bytes / 2 ** 20;
  const result = {
    label,
    rssMb: mb(median(samples.map((s) => s.rss))),
    maxMb: mb(Math.max(...samples.map((s) => s.rss))),
    cpu: (last.cpu - first.cpu) / ((last.at - first.at) / 1000),
    commands: (await commandsRun(page)) - commandsBefore,
    // The busiest threads, as shares of a core.
    threads: [...threads()]
      .map(([name, cpu]) => [
        name,
        (cpu - (cpuBefore.get(name) ?? 0)) / ((last.at - first.at) / 1000),
      ])
      .filter(([, share]) => share >= 0.005)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6),
  };
  step(`${label}: held ${HOLD_S} s`);
  return result;
}

async function setVoice(page, on) {
  const toggle = page.getByTestId('voice-toggle');
  if ((await toggle.isChecked()) !== on) await toggle.click();
  await page
    .getByTestId('voice-status')
    .and(
      page.locator(
        on
          ? '[data-state="idle"], [data-state="listening"], [data-state="heard"]'
          : '[data-state="off"]',
      ),
    )
    .waitFor({ timeout: 60_000 });
}

try {
  const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await page.goto(host.url);
  await page.evaluate((name) => window.api.call('identity.create', { displayName: name }), 'Vera');
  await page.getByTestId('chat-room-create').waitFor({ timeout: 60_000 });
  await page.getByTestId('nav-voice').click();
  await page.getByTestId('voice-model-path').fill(MODEL);
  await page.getByTestId('voice-model-import').click();
  await page.getByTestId('voice-model').and(page.locator('[data-state="ready"]')).waitFor({
    timeout: 60_000,
  });
  await setVoice(page, false);
  step('signed in, model installed, voice control off');
  const phases = [await hold(page, 'voice control off')];
  await setVoice(page, true);
  // The detector runs once the meter tells speech from quiet.
  await page
    .locator('[data-testid="voice-level"]:is([data-speech="speech"], [data-speech="quiet"])')
    .waitFor({ timeout: 60_000 });
  step('voice control on, detector running');
  phases.push(await hold(page, 'on, Voice screen'));
  // Most of the day voice control listens behind another screen: no meter is drawn then.
  await page.getByTestId('nav-chats').click();
  phases.push(await hold(page, 'on, Chats screen'));
  await page.getByTestId('nav-voice').click();
  await setVoice(page, false);
  phases.push(await hold(page, 'off again'));

  console.log(
    `voice control in the app's renderer (browser host, Chromium, the shared English test ` +
      `model, "hey. louder" every ~4 s), ${HOLD_S} s each, sampled every second:`,
  );
  for (const p of phases)
    console.log(
      `  ${p.label.padEnd(18)} RSS median ${p.rssMb.toFixed(0)} MB (max ${p.maxMb.toFixed(0)} MB), ` +
        `CPU ${(p.cpu * 100).toFixed(1)}% of a core, commands run ${p.commands}\n` +
        `    ${p.threads.map(([name, share]) => `${name} ${(share * 100).toFixed(1)}%`).join(', ') || 'no thread above 0.5%'}`,
    );
  const [off, on, behind, again] = phases;
  console.log(
    `  voice control adds ${(on.rssMb - off.rssMb).toFixed(0)} MB and ` +
      `${((behind.cpu - off.cpu) * 100).toFixed(1)}% of a core behind another screen ` +
      `(${((on.cpu - off.cpu) * 100).toFixed(1)}% on the Voice screen); turned off, ` +
      `${(Math.max(on.rssMb, behind.rssMb) - again.rssMb).toFixed(0)} MB of it is given back ` +
      `(goal: renderer ≤ 350 MB)`,
  );
} finally {
  await browser.close();
  await host.stop();
  await server.stop();
}
