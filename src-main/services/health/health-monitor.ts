/**
 * Samples the health figures every few seconds (kept for the Health screen's charts), judges
 * them with the health rules, and opens an incident when a rule starts failing (noting on it when
 * the figure is back to normal).
 */
import type { HealthReport, HealthSample } from '../../../src-shared/ipc/operations-types';
import type { ConnectionStatus } from '../../../src-shared/ipc/types';
import type { IncidentLog } from '../incidents/incident-log';
import type { HealthService } from './health-service';
import {
  DEFAULT_THRESHOLDS,
  evaluateRules,
  type HealthThresholds,
  type RuleResult,
} from './health-rules';

export interface HealthMonitorOptions {
  health: HealthService;
  incidents: IncidentLog;
  connection(): ConnectionStatus;
  lastVerifiedBackupAt(): number | null;
  installedAt: number;
  keystoreState(): 'open' | 'locked' | 'lost';
  thresholds?: HealthThresholds;
  intervalMs?: number;
  /** Samples kept: 360 at 5 s is the last half hour. */
  keep?: number;
  now?: () => number;
}

const RENDERER_KINDS = new Set(['renderer', 'tab']);

export class HealthMonitor {
  private readonly samples: HealthSample[] = [];
  private rules: RuleResult[] = [];
  private timer: NodeJS.Timeout | null = null;
  private rendererReport: { memoryBytes: number; at: number } | null = null;
  private readonly now: () => number;

  constructor(private readonly options: HealthMonitorOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.intervalMs ?? 5000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The renderer's own memory figure (a page in the browser host is not in our process list). */
  rendererReported(memoryBytes: number): void {
    this.rendererReport = { memoryBytes, at: this.now() };
  }

  report(): HealthReport {
    return {
      samples: [...this.samples],
      rules: this.rules.map(({ key, severity, state, value, threshold, reading, limit }) => ({
        key,
        severity,
        state,
        value,
        threshold,
        reading,
        limit,
      })),
      lastVerifiedBackupAt: this.options.lastVerifiedBackupAt(),
    };
  }

  /** Takes one sample and judges it; public so tests need not wait for the timer. */
  tick(): RuleResult[] {
    const sample = this.sample();
    this.samples.push(sample);
    const keep = this.options.keep ?? 360;
    if (this.samples.length > keep) this.samples.splice(0, this.samples.length - keep);
    const connection = this.options.connection();
    const results = evaluateRules(
      {
        now: sample.at,
        sample,
        lastVerifiedBackupAt: this.options.lastVerifiedBackupAt(),
        installedAt: this.options.installedAt,
        serverDownSince: connection.state === 'online' ? null : connection.since,
        keystoreState: this.options.keystoreState(),
      },
      this.options.thresholds ?? DEFAULT_THRESHOLDS,
    );
    const before = new Map(this.rules.map((r) => [r.key, r.state]));
    const { incidents } = this.options;
    for (const result of results) {
      const key = `rule:${result.key}`;
      if (result.state === 'breached' && before.get(result.key) !== 'breached')
        incidents.report(key, result.severity, result.title, result.detail);
      else if (result.state === 'ok' && before.get(result.key) === 'breached')
        incidents.recovered(key, `Back to normal: ${result.value ?? ''}`.trim());
    }
    this.rules = results;
    return results;
  }

  private sample(): HealthSample {
    const snapshot = this.options.health.snapshot();
    const main = snapshot.processes.find((p) => p.kind === 'main');
    const renderers = snapshot.processes.filter((p) => RENDERER_KINDS.has(p.kind));
    const fresh =
      this.rendererReport && this.now() - this.rendererReport.at < 30_000
        ? this.rendererReport.memoryBytes
        : null;
    const rendererMemory = renderers.length
      ? renderers.reduce((sum, p) => sum + p.memoryBytes, 0)
      : fresh;
    const connection = this.options.connection();
    return {
      at: this.now(),
      mainMemoryBytes: main?.memoryBytes ?? process.memoryUsage().rss,
      rendererMemoryBytes: rendererMemory,
      mainCpuPercent: main?.cpuPercent ?? null,
      rendererCpuPercent: renderers.length
        ? renderers.reduce((sum, p) => sum + (p.cpuPercent ?? 0), 0)
        : null,
      eventLoopLagMs: snapshot.eventLoopLagMs,
      databaseBytes: snapshot.database.fileBytes,
      walBytes: snapshot.database.walBytes,
      freeDiskBytes: snapshot.freeDiskBytes,
      serverRttMs: connection.rttMs,
      serverConnected: connection.state === 'online',
    };
  }
}
