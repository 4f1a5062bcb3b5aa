/**
 * Health rules: thresholds over the sampled figures. Pure, so every rule is tested with made-up
 * samples; the HealthMonitor turns a rule that starts failing into an incident.
 */
import type {
  HealthReading,
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

const MB = (bytes: number): HealthReading => ({
  amount: Math.round(bytes / 1024 / 1024),
  unit: 'megabyte',
});
const H = (ms: number): HealthReading => ({
  amount: Math.round((ms / 3600_000) * 10) / 10,
  unit: 'hour',
});
const MIN = (ms: number): HealthReading => ({
  amount: Math.round((ms / 60_000) * 10) / 10,
  unit: 'minute',
});
const MS = (ms: number): HealthReading => ({ amount: ms, unit: 'millisecond' });
const SHORT = { hour: 'h', minute: 'min', millisecond: 'ms', megabyte: 'MB' } as const;

/** The English line of a reading, for incident timelines and logs. */
export function readingText(reading: HealthReading): string {
  if ('word' in reading) return reading.word;
  const figure = `${reading.amount} ${SHORT[reading.unit]}`;
  return reading.phrase === 'noneFor'
    ? `none for ${figure}`
    : reading.phrase === 'downFor'
      ? `down for ${figure}`
      : figure;
}

function rule(
  key: string,
  severity: IncidentSeverity,
  title: string,
  limit: HealthReading,
  reading: HealthReading | null,
  breached: boolean | null,
): RuleResult {
  const threshold = readingText(limit);
  const value = reading === null ? null : readingText(reading);
  return {
    key,
    severity,
    title,
    threshold,
    value,
    limit,
    reading,
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
      H(limits.backupMaxAgeMs),
      input.lastVerifiedBackupAt === null ? { ...H(backupAge), phrase: 'noneFor' } : H(backupAge),
      backupAge > limits.backupMaxAgeMs,
    ),
    rule(
      'wal_size',
      'warning',
      'Database write-ahead log is large',
      MB(limits.walMaxBytes),
      MB(sample.walBytes),
      sample.walBytes > limits.walMaxBytes,
    ),
    rule(
      'renderer_memory',
      'warning',
      'The window uses a lot of memory',
      MB(limits.rendererMaxMemoryBytes),
      sample.rendererMemoryBytes === null ? null : MB(sample.rendererMemoryBytes),
      sample.rendererMemoryBytes === null
        ? null
        : sample.rendererMemoryBytes > limits.rendererMaxMemoryBytes,
    ),
    rule(
      'server_unreachable',
      'critical',
      'The server is unreachable',
      MIN(limits.serverMaxDownMs),
      input.serverDownSince === null
        ? { word: 'connected' }
        : { ...MIN(downFor), phrase: 'downFor' },
      downFor > limits.serverMaxDownMs,
    ),
    rule(
      'event_loop_lag',
      'warning',
      'The app’s main process is slow to respond',
      MS(limits.eventLoopMaxLagMs),
      MS(sample.eventLoopLagMs),
      sample.eventLoopLagMs > limits.eventLoopMaxLagMs,
    ),
    rule(
      'free_disk',
      'critical',
      'The disk is almost full',
      MB(limits.minFreeDiskBytes),
      sample.freeDiskBytes === null ? null : MB(sample.freeDiskBytes),
      sample.freeDiskBytes === null ? null : sample.freeDiskBytes < limits.minFreeDiskBytes,
    ),
    rule(
      'keystore',
      'warning',
      'Secrets are locked or lost',
      { word: 'open' },
      { word: input.keystoreState },
      input.keystoreState !== 'open',
    ),
  ];
}
