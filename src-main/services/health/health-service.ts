import fs from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { HealthSnapshot } from '../../../src-shared/ipc/types';
import type { Platform } from '../../platform/platform';
import type { LocalDatabase } from '../storage/database';

const LAG_WINDOW_MS = 5000;

/** Live figures about this installation: processes, event loop, database, disk. */
export class HealthService {
  private readonly loopDelay: IntervalHistogram;
  private readonly lagTimer: NodeJS.Timeout;
  private lastLagMs = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly platform: Platform,
    private readonly database: LocalDatabase,
    private readonly dataDir: string,
  ) {
    this.loopDelay = monitorEventLoopDelay({ resolution: 20 });
    this.loopDelay.enable();
    // One window for every reader (the health monitor's samples, the Health screen's polls):
    // reading must not reset what another reader is measuring.
    this.lagTimer = setInterval(() => this.closeLagWindow(), LAG_WINDOW_MS);
    this.lagTimer.unref();
  }

  /** Mean event-loop lag of the last window; the histogram's mean includes its resolution. */
  private closeLagWindow(): void {
    const meanMs = this.loopDelay.count ? this.loopDelay.mean / 1e6 : 0;
    this.loopDelay.reset();
    this.lastLagMs = Math.max(0, Math.round((meanMs - 20) * 10) / 10);
  }

  snapshot(): HealthSnapshot {
    const sizes = this.database.sizes();
    return {
      at: Date.now(),
      uptimeSec: Math.round((Date.now() - this.startedAt) / 1000),
      processes: this.platform.processMetrics(),
      heapUsedBytes: process.memoryUsage().heapUsed,
      eventLoopLagMs: this.lastLagMs,
      database: {
        path: this.database.path,
        fileBytes: sizes.fileBytes,
        walBytes: sizes.walBytes,
        schemaVersion: this.database.schemaVersion(),
      },
      freeDiskBytes: this.freeDisk(),
    };
  }

  private freeDisk(): number | null {
    try {
      const stats = fs.statfsSync(this.dataDir);
      return stats.bavail * stats.bsize;
    } catch {
      return null;
    }
  }

  dispose(): void {
    clearInterval(this.lagTimer);
    this.loopDelay.disable();
  }
}
