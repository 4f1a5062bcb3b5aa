/**
 * The app's own picker for screen sharing in Electron: the shell's display-media handler lists
 * desktopCapturer sources (screens and windows, with thumbnails) and asks here; the renderer
 * shows them (event `screen.pick`) and answers with `screen.choose`. The browser host never
 * uses it: there getDisplayMedia shows Chromium's own picker.
 */
import crypto from 'node:crypto';
import type { ScreenPickRequest, ScreenSource } from '../../../src-shared/ipc/call-types';

const PICK_TIMEOUT_MS = 60_000;

export class ScreenPicker {
  private readonly waiting = new Map<string, (sourceId: string | null) => void>();

  constructor(private readonly show: (request: ScreenPickRequest) => void) {}

  /** Asks the user to pick a source; null when they cancel or do not answer in time. */
  pick(sources: ScreenSource[]): Promise<string | null> {
    const requestId = crypto.randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.answer(requestId, null), PICK_TIMEOUT_MS);
      timer.unref();
      this.waiting.set(requestId, (sourceId) => {
        clearTimeout(timer);
        resolve(sourceId && sources.some((s) => s.id === sourceId) ? sourceId : null);
      });
      this.show({ requestId, sources });
    });
  }

  /** The renderer's answer; false when the request is unknown (answered or timed out). */
  answer(requestId: string, sourceId: string | null): boolean {
    const resolve = this.waiting.get(requestId);
    if (!resolve) return false;
    this.waiting.delete(requestId);
    resolve(sourceId);
    return true;
  }
}
