/**
 * When backups are taken without being asked: when the newest one is older than the interval
 * (checked every few minutes, so a laptop that slept catches up), and at quit.
 */
import type { Logger } from '../../../src-shared/log';
import type { BackupSettings } from '../../../src-shared/settings';
import { BackupBusyError, type BackupService } from './backup-service';

/** At quit, no second backup if one was taken this recently. */
const QUIT_MIN_SPACING_MS = 10 * 60_000;

export class BackupScheduler {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly backups: BackupService,
    private readonly settings: () => BackupSettings,
    private readonly canBackUp: () => boolean,
    private readonly logger: Logger,
    private readonly checkEveryMs = 5 * 60_000,
  ) {}

  start(firstCheckAfterMs = 60_000): void {
    this.stop();
    const first = setTimeout(() => {
      void this.runIfDue();
      this.timer = setInterval(() => void this.runIfDue(), this.checkEveryMs);
      this.timer.unref();
    }, firstCheckAfterMs);
    first.unref();
    this.timer = first;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Milliseconds since the newest backup that verified (Infinity when none). */
  private age(): number {
    const newest = this.backups.newestVerified();
    return newest ? Date.now() - newest.createdAt : Infinity;
  }

  async runIfDue(): Promise<boolean> {
    const { intervalHours } = this.settings();
    if (!intervalHours || !this.canBackUp() || this.age() < intervalHours * 3600_000) return false;
    return this.run('scheduled');
  }

  async atQuit(): Promise<boolean> {
    if (!this.settings().atQuit || !this.canBackUp() || this.age() < QUIT_MIN_SPACING_MS)
      return false;
    return this.run('quit');
  }

  private async run(reason: 'scheduled' | 'quit'): Promise<boolean> {
    try {
      await this.backups.backUp(reason);
      return true;
    } catch (error) {
      if (!(error instanceof BackupBusyError))
        this.logger.error('scheduled backup failed', { reason, error });
      return false;
    }
  }
}
