/**
 * Voice control in a noisy room, in Chromium with the real audio path: a spoken command with
 * steady pink noise under it at 10 dB is the fake microphone, played once. The voice-activity
 * detector (Silero VAD in its worker) must end the utterance although the level never falls,
 * and the command must run once, soon after the speech ends. A fixed level threshold never
 * ended it: the noise alone is above it.
 *
 * Timing is in the page's audio clock (ms of microphone input since listening began), which is
 * the file's: Chromium's fake microphone plays the file from the first frame the page takes (the
 * detector's start and end then fall about as far after the file's, its own lag, on both ends).
 */
import type { Page } from 'playwright-core';
import { explained } from '../support/chromium';
import { sharedModel } from '../support/shared-models';
import { noisySpeechWav, type NoisySpeech } from '../support/speech';
import { makeTempDir } from '../support/temp-dir';
import { openVoiceScreen, type VoiceScreen } from '../support/voice-screen';

describe('voice control in noise', () => {
  let screen: VoiceScreen;
  let page: Page;
  let spoken: NoisySpeech;
  const temp = makeTempDir();
  const model = sharedModel('en');

  beforeAll(async () => {
    spoken = noisySpeechWav(temp.dir, 'hey-louder-noise', 'hey. louder', {
      snrDb: 10,
      // The file starts with listening: noise alone first, to see it is not taken for speech.
      leadS: 4,
      tailS: 6,
    });
    screen = await openVoiceScreen(temp.dir, 'Nadia', `${spoken.file}%noloop`);
    page = screen.page;
  });
  afterAll(async () => {
    await screen?.close();
    temp.cleanup();
  });

  const audioMs = (page: Page) =>
    page
      .getByTestId('voice-stats')
      .evaluate((e: HTMLElement) => (Number(e.dataset.samples) / Number(e.dataset.rate)) * 1000);

  it('ends the utterance in steady noise and runs the command once, promptly', async () => {
    await page.getByTestId('voice-model-path').fill(model.tarGz);
    await page.getByTestId('voice-model-import').click();
    await page.getByTestId('voice-model').and(page.locator('[data-state="ready"]')).waitFor({
      timeout: 60_000,
    });
    await page.getByTestId('voice-toggle').click();
    await page.getByTestId('voice-status').and(page.locator('[data-state="idle"]')).waitFor({
      timeout: 60_000,
    });
    // The detector runs (no fallback note) and the noise alone is not taken for speech.
    await page.getByTestId('voice-level').and(page.locator('[data-speech="quiet"]')).waitFor();
    expect(await page.getByTestId('voice-vad-error').count()).toBe(0);
    expect(await audioMs(page)).toBeLessThan(spoken.speechStartMs - 1000);

    const done = page
      .getByTestId('voice-history-item')
      .and(page.locator('[data-command="system.volumeUp"][data-outcome="done"]'));
    // On failure, what the Voice screen showed (the history says what was heard instead).
    await explained(page, screen.pageErrors, () => done.first().waitFor({ timeout: 40_000 }));
    const stats = await page.getByTestId('voice-stats').evaluate((e: HTMLElement) => ({
      start: Number(e.dataset.speechStartMs),
      end: Number(e.dataset.speechEndMs),
    }));
    const ranAt = Number(await page.getByTestId('voice-last').getAttribute('data-audio-ms'));
    const latency = ranAt - spoken.speechEndMs;
    const startError = stats.start - spoken.speechStartMs;
    const endError = stats.end - spoken.speechEndMs;
    console.log(
      `end of speech → command: ${latency.toFixed(0)} ms; the detector's start and end against ` +
        `the file's: ${startError.toFixed(0)} and ${endError.toFixed(0)} ms`,
    );
    expect(Math.abs(startError)).toBeLessThan(250);
    expect(Math.abs(endError)).toBeLessThan(250);
    expect(latency).toBeGreaterThan(0);
    expect(latency).toBeLessThan(600);

    // Once: the rest of the file is noise; nothing runs again while it plays out.
    const fileEnd = spoken.speechEndMs + 6000;
    await page.waitForFunction(
      (end) => {
        const e = document.querySelector<HTMLElement>('[data-testid="voice-stats"]');
        return !!e && (Number(e.dataset.samples) / Number(e.dataset.rate)) * 1000 > end;
      },
      fileEnd,
      { timeout: 30_000 },
    );
    expect(await done.count()).toBe(1);
    expect(await page.getByTestId('voice-history-item').count()).toBe(1);
    expect(screen.pageErrors).toEqual([]);
  });
});
