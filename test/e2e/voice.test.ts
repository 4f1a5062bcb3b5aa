/**
 * Voice control in Chromium with the real audio path and engine: an espeak-ng WAV is the fake
 * microphone, the AudioWorklet resamples it to 16 kHz, vosk-browser (WASM, in its worker) with
 * the tiny test model from ../shared recognizes "hey, louder", and the command runs and lands in
 * the history. A missing model and damaged models are reported as errors, never a hang.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { sharedModel } from '../support/shared-models';
import { speechWav } from '../support/speech';
import { waitFor } from '../support/ws-client';
import { makeTempDir } from '../support/temp-dir';
import { openVoiceScreen, type VoiceScreen } from '../support/voice-screen';

/** The switch shows the saved setting, so it flips once main has stored it. */
async function setVoice(page: Page, on: boolean): Promise<void> {
  const toggle = page.getByTestId('voice-toggle');
  if ((await toggle.isChecked()) !== on) await toggle.click();
  await page.locator(`[data-testid="voice-toggle"]${on ? ':checked' : ':not(:checked)'}`).waitFor();
}

/** Waits until the history shows one more "louder" run than it does now. */
async function anotherLouder(page: Page): Promise<void> {
  const done =
    '[data-testid="voice-history-item"][data-command="system.volumeUp"][data-outcome="done"]';
  const before = await page.locator(done).count();
  await page.waitForFunction(
    ([selector, n]) => document.querySelectorAll(selector as string).length > (n as number),
    [done, before] as const,
    { timeout: 30_000 },
  );
}

describe('voice control in Chromium', () => {
  let screen: VoiceScreen;
  let page: Page;
  const temp = makeTempDir();
  const model = sharedModel('en');

  beforeAll(async () => {
    const wav = speechWav(temp.dir, 'hey-louder', 'hey. louder', { padAfter: 2 });
    screen = await openVoiceScreen(temp.dir, 'Vera', wav);
    page = screen.page;
  });
  afterAll(async () => {
    await screen?.close();
    temp.cleanup();
  });

  /** A model folder with the right layout and garbage inside: only the engine itself can tell. */
  function brokenModel(): string {
    const fake = path.join(temp.dir, 'vosk-model-broken');
    for (const dir of ['am', 'conf', 'graph'])
      fs.mkdirSync(path.join(fake, dir), { recursive: true });
    fs.writeFileSync(path.join(fake, 'am/final.mdl'), 'not a model');
    fs.copyFileSync(path.join(model.folder, 'conf/model.conf'), path.join(fake, 'conf/model.conf'));
    fs.copyFileSync(path.join(model.folder, 'conf/mfcc.conf'), path.join(fake, 'conf/mfcc.conf'));
    fs.writeFileSync(path.join(fake, 'graph/HCLG.fst'), 'not a graph');
    fs.writeFileSync(path.join(fake, 'graph/words.txt'), '<eps> 0\nhey 1\n');
    return fake;
  }

  it('says clearly that there is no model, and does not start', async () => {
    await setVoice(page, true);
    await page
      .getByTestId('voice-error')
      .filter({ hasText: /no speech model/i })
      .waitFor();
    expect(await page.getByTestId('voice-status').getAttribute('data-state')).toBe('off');
  });

  it('refuses a truncated model archive with the reason', async () => {
    const cut = path.join(temp.dir, 'cut.tar.gz');
    const bytes = fs.readFileSync(model.tarGz);
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    await page.getByTestId('voice-model-path').fill(cut);
    await page.getByTestId('voice-model-import').click();
    await page
      .getByTestId('voice-model-error')
      .filter({ hasText: /damaged or incomplete/ })
      .waitFor();
  });

  it("takes a model chosen with the page's file picker, and refuses a file that is none", async () => {
    // The browser host cannot be handed a path by the page: the chosen file is sent to it.
    const notes = path.join(temp.dir, 'notes.txt');
    fs.writeFileSync(notes, 'not a model');
    await page.getByTestId('voice-model-file').setInputFiles(notes);
    await page
      .getByTestId('voice-model')
      .getByRole('alert')
      .filter({ hasText: /choose a \.zip or a \.tar\.gz/ })
      .waitFor();
    // The upload answers only the app's own page: the launch key, then the host's own Origin.
    const hostUrl = new URL(screen.user.host.url);
    const first = await fetch(hostUrl, { redirect: 'manual' });
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const post = (headers: Record<string, string>) =>
      fetch(`${hostUrl.origin}/voice-models/upload?language=en&name=m.tar.gz`, {
        method: 'POST',
        body: 'not gzip',
        headers,
      }).then((response) => response.status);
    expect(await post({ Origin: hostUrl.origin })).toBe(401);
    expect(await post({ Cookie: cookie, Origin: 'http://elsewhere.example' })).toBe(403);
    expect(await post({ Cookie: cookie, Origin: hostUrl.origin })).toBe(400);

    await page.getByTestId('voice-model-file').setInputFiles(model.tarGz);
    await page.getByTestId('voice-model').and(page.locator('[data-state="ready"]')).waitFor({
      timeout: 60_000,
    });
    await expect(page.getByTestId('voice-model').textContent()).resolves.toContain(
      path.basename(model.folder),
    );
    // And the engine loads it: voice control (on since the first test) waits for a wake word.
    await page.getByTestId('voice-status').and(page.locator('[data-state="idle"]')).waitFor({
      timeout: 60_000,
    });
    // Nothing of the upload is left beside the installed model.
    const modelDir = path.join(temp.dir, 'vera', 'voice-models', 'en');
    expect(fs.readdirSync(modelDir).filter((f) => f.startsWith('upload-'))).toEqual([]);
  });

  it('reports a model the engine cannot load, from the WASM worker, without hanging', async () => {
    await page.getByTestId('voice-model-path').fill(brokenModel());
    await page.getByTestId('voice-model-import').click();
    await page.getByTestId('voice-model').and(page.locator('[data-state="ready"]')).waitFor();
    await page
      .getByTestId('voice-error')
      .filter({ hasText: /cannot be used|damaged/i })
      .waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('voice-status').getAttribute('data-state')).toBe('off');
  });

  it('feeds 16 kHz frames of the spoken WAV to the recognizer and runs the command', async () => {
    await page.getByTestId('voice-model-path').fill(model.tarGz);
    await page.getByTestId('voice-model-import').click();
    await page.getByTestId('voice-status').and(page.locator('[data-state="idle"]')).waitFor({
      timeout: 60_000,
    });
    const stats = page.getByTestId('voice-stats');
    // One snapshot of all four (read one by one, a render in between would mix two moments).
    const read = () =>
      stats.evaluate((element: HTMLElement) => ({
        frames: Number(element.dataset.frames),
        samples: Number(element.dataset.samples),
        rate: Number(element.dataset.rate),
        peak: Number(element.dataset.peak),
      }));
    const first = await read();
    const t0 = Date.now();
    await page.waitForTimeout(3000);
    const second = await read();
    const seconds = (Date.now() - t0) / 1000;
    expect(second.rate).toBe(16000);
    // 50 ms frames of 800 samples; about 16,000 samples per second of wall time.
    expect(second.samples - first.samples).toBe((second.frames - first.frames) * 800);
    const perSecond = (second.samples - first.samples) / seconds;
    expect(perSecond).toBeGreaterThan(16000 * 0.8);
    expect(perSecond).toBeLessThan(16000 * 1.2);
    // espeak speech at normal level reaches the recognizer, not silence.
    expect(second.peak).toBeGreaterThan(0.02);

    const done = page
      .getByTestId('voice-history-item')
      .and(page.locator('[data-command="system.volumeUp"][data-outcome="done"]'));
    await done.first().waitFor({ timeout: 30_000 });
    expect(await done.first().getAttribute('data-category')).toBe('system');
    await page
      .getByTestId('voice-last')
      .and(page.locator('[data-command="system.volumeUp"]'))
      .waitFor();
    // What can be said now lists the four categories; hang-up only makes sense in a call.
    const list = page.getByTestId('voice-commands-list');
    expect(await list.locator('[data-command="system.volumeUp"]').count()).toBe(1);
    expect(await list.locator('[data-command="communication.hangup"]').count()).toBe(0);
  });

  it('says when the model gives sensitivity nothing to work with, instead of a live slider', async () => {
    const slider = page.getByTestId('voice-sensitivity');
    // The count the session keeps per model, written while voice control is off (a running
    // session writes its own over it). How many words the looping WAV added before this test
    // depends on the machine's speed, so the test sets it, then lets the session read it.
    const heard = async (words: number, certain: number) => {
      await setVoice(page, false);
      const key = await page.evaluate(
        ([words, certain]) => {
          const found = Object.keys(localStorage).find((k) =>
            k.startsWith('beseda.voice.confidence.'),
          );
          if (found) localStorage.setItem(found, JSON.stringify({ words, certain }));
          return found;
        },
        [words, certain],
      );
      expect(key).toBeTruthy();
      await setVoice(page, true);
      await page.getByTestId('voice-status').and(page.locator('[data-state="idle"]')).waitFor({
        timeout: 60_000,
      });
    };
    // Forty words, half of them rated uncertain: the confidences mean something.
    await heard(40, 20);
    expect(await slider.isDisabled()).toBe(false);
    expect(await slider.getAttribute('data-uninformative')).toBeNull();
    // Forty words, all rated certain: the slider would change nothing, and Settings says so.
    await heard(40, 40);
    await page.locator('[data-testid="voice-sensitivity"][data-uninformative="true"]').waitFor();
    expect(await slider.isDisabled()).toBe(true);
    // (The looping WAV may add a few more words, all certain, by the time this is read.)
    await page.getByText(/rates (\d+) of the \1 words it has heard as certain/).waitFor();
  });

  it('goes on without the voice detector when it cannot start, and says so', async () => {
    const missing = '**/vad/silero_vad_v5.onnx';
    await page.route(missing, (route) => route.fulfill({ status: 404, body: 'gone' }));
    try {
      await setVoice(page, false);
      await setVoice(page, true);
      await page.getByTestId('voice-status').and(page.locator('[data-state="idle"]')).waitFor({
        timeout: 60_000,
      });
      await page
        .getByTestId('voice-vad-error')
        .filter({ hasText: /could not start: its model is missing \(404\).*Commands still work/ })
        .waitFor();
      await page.getByTestId('voice-level').and(page.locator('[data-speech="unknown"]')).waitFor();
      // The looping "hey. louder" still runs, ended by the recognizer's own pause.
      await anotherLouder(page);
    } finally {
      await page.unroute(missing);
    }
  });

  it('goes on without the voice detector when its worker stops answering, and says so', async () => {
    await setVoice(page, false);
    await setVoice(page, true);
    await page.getByTestId('voice-status').and(page.locator('[data-state="idle"]')).waitFor({
      timeout: 60_000,
    });
    // The detector runs: the meter knows speech from quiet.
    await page
      .locator('[data-testid="voice-level"]:is([data-speech="speech"], [data-speech="quiet"])')
      .waitFor();
    const worker = await waitFor(
      () =>
        page
          .workers()
          .filter((w) => w.url().endsWith('/vad-worker.js'))
          .at(-1),
      30_000,
      'the voice detector has a worker',
    );
    // The worker ends itself, as one that hangs or is lost would: no error, no more answers.
    await worker!.evaluate(() => (globalThis as unknown as { close(): void }).close());
    await page
      .getByTestId('voice-vad-error')
      .filter({ hasText: /detector stopped: it has not answered for \d+ s.*Commands still work/ })
      .waitFor({ timeout: 30_000 });
    await page.getByTestId('voice-level').and(page.locator('[data-speech="unknown"]')).waitFor();
    // The looping "hey. louder" still runs, now ended by the recognizer's own pause.
    await anotherLouder(page);
  });

  it('loads a model imported while voice control is still starting with the one before', async () => {
    // Voice control starts again with the working model, whose load is held until another
    // model (the broken one) is installed: the start must be followed by one with the new
    // model, which the engine then refuses. Once, such a change was lost and the old model
    // went on running.
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const held: Promise<void>[] = [];
    const archives = '**/voice-models/en/*.tar.gz';
    await page.route(archives, (route) => {
      const passed = released.then(() => route.continue());
      held.push(passed);
      return passed;
    });
    try {
      await setVoice(page, false);
      await setVoice(page, true);
      await waitFor(() => held.length > 0, 30_000, 'the start loads the working model');
      await page.getByTestId('voice-model-path').fill(brokenModel());
      await page.getByTestId('voice-model-import').click();
      await page
        .getByTestId('voice-model')
        .and(page.locator('[data-state="ready"]'))
        .filter({ hasText: 'vosk-model-broken' })
        .waitFor({ timeout: 60_000 });
    } finally {
      release();
      await Promise.all(held);
      await page.unroute(archives);
    }
    await page
      .getByTestId('voice-error')
      .filter({ hasText: /cannot be used|damaged/i })
      .waitFor({ timeout: 40_000 });
    expect(await page.getByTestId('voice-status').getAttribute('data-state')).toBe('off');
  });

  it('turning voice control off releases the engine and the microphone', async () => {
    await setVoice(page, false);
    await page.getByTestId('voice-status').and(page.locator('[data-state="off"]')).waitFor();
    await expect(page.getByTestId('voice-stats').count()).resolves.toBe(0);
    await page.getByTestId('voice-history-search').fill('louder');
    await page.getByTestId('voice-history-item').first().waitFor();
    await page.getByTestId('voice-history-clear').click();
    await page.getByText(/No voice commands yet/).waitFor();
    // Nothing above (the engine's failures included) escaped as an uncaught page error.
    expect(screen.pageErrors).toEqual([]);
  });
});
