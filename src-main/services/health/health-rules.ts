/**
 * Health rules: thresholds over the sampled figures. Pure, so every rule is tested with made-up
 * samples; the HealthMonitor turns a rule that starts failing into an incident.
 */
import type {
  HealthRuleState,
  HealthSample,
  IncidentSeverity,
} from '../../../src-shared/ipc/operations-types';

export interface RuleInput {
  now: number;
  sample: HealthSample;
  lastVerifiedBackupAt: number | null;
  /** When this installation first ran: "no backup for 48 h" counts from here. */
  installedAt: number;
  /** Since when the server connection has been down (null: connected). */
  serverDownSince: number | null;
  keystoreState: 'open' | 'locked' | 'lost';
}

export interface HealthThresholds {
  backupMaxAgeMs: number;
  walMaxBytes: number;
  rendererMaxMemoryBytes: number;
  serverMaxDownMs: number;
  eventLoopMaxLagMs: number;
  minFreeDiskBytes: number;
}

export const DEFAULT_THRESHOLDS: HealthThresholds = {
  backupMaxAgeMs: 48 * 3600_000,
  walMaxBytes: 100 * 1024 * 1024,
  rendererMaxMemoryBytes: 500 * 1024 * 1024,
  serverMaxDownMs: 5 * 60_000,
  eventLoopMaxLagMs: 250,
  minFreeDiskBytes: 1024 * 1024 * 1024,
};

export interface RuleResult extends HealthRuleState {
  /** Incident title and the line for its timeline. */
  title: string;
  detail: string;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const hours = (ms: number) => `${Math.round((ms / 3600_000) * 10) / 10} h`;
const minutes = (ms: number) => `${Math.round((ms / 60_000) * 10) / 10} min`;

function rule(
  key: string,
  severity: IncidentSeverity,
  title: string,
  threshold: string,
  value: string | null,
  breached: boolean | null,
): RuleResult {
  return {
    key,
    severity,
    title,
    threshold,
    value,
    state: breached === null ? 'unknown' : breached ? 'breached' : 'ok',
    detail: value === null ? title : `${title}: ${value} (threshold ${threshold})`,
  };
}

export function evaluateRules(
  input: RuleInput,
  limits: HealthThresholds = DEFAULT_THRESHOLDS,
): RuleResult[] {
  const { sample, now } = input;
  const backupAge = now - (input.lastVerifiedBackupAt ?? input.installedAt);
  const downFor = input.serverDownSince === null ? 0 : now - input.serverDownSince;
  return [
    rule(
      'backup_age',
      'warning',
      'No verified backup recently',
      hours(limits.backupMaxAgeMs),
      input.lastVerifiedBackupAt === null ? `none for ${hours(backupAge)}` : hours(backupAge),
      backupAge > limits.backupMaxAgeMs,
    ),
    rule(
      'wal_size',
      'warning',
      'Database write-ahead log is large',
      mb(limits.walMaxBytes),
      mb(sample.walBytes),
      sample.walBytes > limits.walMaxBytes,
    ),
    rule(
      'renderer_memory',
      'warning',
      'The window uses a lot of memory',
      mb(limits.rendererMaxMemoryBytes),
      sample.rendererMemoryBytes === null ? null : mb(sample.rendererMemoryBytes),
      sample.rendererMemoryBytes === null
        ? null
        : sample.rendererMemoryBytes > limits.rendererMaxMemoryBytes,
    ),
    rule(
      'server_unreachable',
      'critical',
      'The server is unreachable',
      minutes(limits.serverMaxDownMs),
      input.serverDownSince === null ? 'connected' : `down for ${minutes(downFor)}`,
      downFor > limits.serverMaxDownMs,
    ),
    rule(
      'event_loop_lag',
      'warning',
      'The app’s main process is slow to respond',
      `${limits.eventLoopMaxLagMs} ms`,
      `${sample.eventLoopLagMs} ms`,
      sample.eventLoopLagMs > limits.eventLoopMaxLagMs,
    ),
    rule(
      'free_disk',
      'critical',
      'The disk is almost full',
      mb(limits.minFreeDiskBytes),
      sample.freeDiskBytes === null ? null : mb(sample.freeDiskBytes),
      sample.freeDiskBytes === null ? null : sample.freeDiskBytes < limits.minFreeDiskBytes,
    ),
    rule(
      'keystore',
      'warning',
      'Secrets are locked or lost',
      'open',
      input.keystoreState,
      input.keystoreState !== 'open',
    ),
  ];
}
