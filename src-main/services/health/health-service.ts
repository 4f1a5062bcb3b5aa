import fs from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { HealthSnapshot } from '../../../src-shared/ipc/types';
import type { Platform } from '../../platform/platform';
import type { LocalDatabase } from '../storage/database';

/** Live figures about this installation: processes, event loop, database, disk. */
export class HealthService {
  private readonly loopDelay: IntervalHistogram;
  private readonly startedAt = Date.now();

  constructor(
    private readonly platform: Platform,
    private readonly database: LocalDatabase,
    private readonly dataDir: string,
  ) {
    this.loopDelay = monitorEventLoopDelay({ resolution: 20 });
    this.loopDelay.enable();
  }

  snapshot(): HealthSnapshot {
    // The histogram's mean includes the sampling resolution; what is above it is lag.
    const meanMs = this.loopDelay.count ? this.loopDelay.mean / 1e6 : 0;
    this.loopDelay.reset();
    const sizes = this.database.sizes();
    return {
      at: Date.now(),
      uptimeSec: Math.round((Date.now() - this.startedAt) / 1000),
      processes: this.platform.processMetrics(),
      heapUsedBytes: process.memoryUsage().heapUsed,
      eventLoopLagMs: Math.max(0, Math.round((meanMs - 20) * 10) / 10),
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
    this.loopDelay.disable();
  }
}
