/**
 * What to do when the window's renderer crashes or hangs, decided without Electron so that it is
 * tested as a plain class: reload a crashed renderer (it comes back on the same screen, from the
 * URL hash, and rejoins a running call); reload a renderer that stays unresponsive past a grace
 * period; stop reloading after repeated crashes in a short time (a crash loop), and say so. Each
 * event becomes an incident.
 */
export interface WatchdogActions {
  reload(): void;
  /** Kills a hung renderer so that it can be reloaded (forcefullyCrashRenderer). */
  kill(): void;
  showCrashLoop(): void;
  incident(key: string, severity: 'warning' | 'critical', title: string, detail: string): void;
}

export interface WatchdogOptions {
  hangGraceMs: number;
  crashLoopCount: number;
  crashLoopWindowMs: number;
}

export const DEFAULT_WATCHDOG: WatchdogOptions = {
  hangGraceMs: 10_000,
  crashLoopCount: 3,
  crashLoopWindowMs: 60_000,
};

export class RendererWatchdog {
  private crashes: number[] = [];
  private hangTimer: ReturnType<typeof setTimeout> | null = null;
  private givenUp = false;

  constructor(
    private readonly actions: WatchdogActions,
    private readonly options: WatchdogOptions = DEFAULT_WATCHDOG,
    private readonly now: () => number = Date.now,
  ) {}

  /** The renderer process ended (render-process-gone). */
  gone(reason: string, exitCode: number): void {
    this.responsive();
    if (reason === 'clean-exit') return;
    const at = this.now();
    this.crashes = [...this.crashes.filter((t) => at - t < this.options.crashLoopWindowMs), at];
    const detail = `The window's renderer ended (${reason}, exit code ${exitCode}).`;
    if (this.crashes.length >= this.options.crashLoopCount) {
      this.givenUp = true;
      this.actions.incident(
        'renderer_crash',
        'critical',
        'The window keeps crashing',
        `${detail} ${this.crashes.length} crashes within ${this.options.crashLoopWindowMs / 1000} s: not reloading again.`,
      );
      this.actions.showCrashLoop();
      return;
    }
    this.actions.incident('renderer_crash', 'warning', 'The window crashed', `${detail} Reloaded.`);
    this.actions.reload();
  }

  /** The renderer stopped answering (unresponsive): reload it if it does not recover in time. */
  unresponsive(): void {
    if (this.hangTimer || this.givenUp) return;
    this.hangTimer = setTimeout(() => {
      this.hangTimer = null;
      this.actions.incident(
        'renderer_hang',
        'warning',
        'The window stopped responding',
        `No response for ${this.options.hangGraceMs / 1000} s: reloaded.`,
      );
      this.actions.kill();
      this.actions.reload();
    }, this.options.hangGraceMs);
  }

  responsive(): void {
    if (this.hangTimer) clearTimeout(this.hangTimer);
    this.hangTimer = null;
  }

  /** The user asked to try again after a crash loop. */
  retry(): void {
    this.givenUp = false;
    this.crashes = [];
    this.actions.reload();
  }
}
