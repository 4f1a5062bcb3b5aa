import {
  DEFAULT_THRESHOLDS,
  evaluateRules,
  type RuleInput,
} from '../../src-main/services/health/health-rules';
import { backupsToKeep } from '../../src-main/services/backups/backup-rotation';

const HOUR = 3600_000;
const MB = 1024 * 1024;
const now = new Date(2026, 10, 30, 12).getTime();

function input(
  overrides: Partial<RuleInput> = {},
  sample: Partial<RuleInput['sample']> = {},
): RuleInput {
  return {
    now,
    lastVerifiedBackupAt: now - HOUR,
    installedAt: now - 100 * HOUR,
    serverDownSince: null,
    keystoreState: 'open',
    ...overrides,
    sample: {
      at: now,
      mainMemoryBytes: 100 * MB,
      rendererMemoryBytes: 200 * MB,
      mainCpuPercent: 3,
      rendererCpuPercent: 5,
      eventLoopLagMs: 2,
      databaseBytes: 10 * MB,
      walBytes: 1 * MB,
      freeDiskBytes: 50_000 * MB,
      serverRttMs: 4,
      serverConnected: true,
      ...sample,
    },
  };
}
const states = (i: RuleInput) => Object.fromEntries(evaluateRules(i).map((r) => [r.key, r.state]));

describe('health rules', () => {
  it('are all ok on a healthy sample', () => {
    expect(new Set(Object.values(states(input())))).toEqual(new Set(['ok']));
  });

  it('breach at their thresholds, not before', () => {
    expect(states(input({ lastVerifiedBackupAt: now - 47 * HOUR })).backup_age).toBe('ok');
    expect(states(input({ lastVerifiedBackupAt: now - 49 * HOUR })).backup_age).toBe('breached');
    expect(states(input({}, { walBytes: 100 * MB })).wal_size).toBe('ok');
    expect(states(input({}, { walBytes: 101 * MB })).wal_size).toBe('breached');
    expect(states(input({}, { rendererMemoryBytes: 501 * MB })).renderer_memory).toBe('breached');
    expect(states(input({ serverDownSince: now - 4 * 60_000 })).server_unreachable).toBe('ok');
    expect(states(input({ serverDownSince: now - 6 * 60_000 })).server_unreachable).toBe(
      'breached',
    );
    expect(states(input({}, { eventLoopLagMs: 300 })).event_loop_lag).toBe('breached');
    expect(states(input({}, { freeDiskBytes: 500 * MB })).free_disk).toBe('breached');
    expect(states(input({ keystoreState: 'locked' })).keystore).toBe('breached');
  });

  it('count a missing backup from the installation, and say unknown without a figure', () => {
    const fresh = input({ lastVerifiedBackupAt: null, installedAt: now - HOUR });
    expect(states(fresh).backup_age).toBe('ok');
    expect(states({ ...fresh, installedAt: now - 49 * HOUR }).backup_age).toBe('breached');
    const unmeasured = input({}, { rendererMemoryBytes: null, freeDiskBytes: null });
    expect(states(unmeasured)).toMatchObject({ renderer_memory: 'unknown', free_disk: 'unknown' });
  });

  it('carry a detail with the value and the threshold for the incident timeline', () => {
    const wal = evaluateRules(input({}, { walBytes: 150 * MB }), DEFAULT_THRESHOLDS).find(
      (r) => r.key === 'wal_size',
    );
    expect(wal?.detail).toBe('Database write-ahead log is large: 150 MB (threshold 100 MB)');
  });
});

describe('backup rotation', () => {
  const at = (daysAgo: number, hour = 12) => new Date(2026, 10, 30 - daysAgo, hour).getTime();

  it('keeps the newest of each of the last 7 days and of the last 4 weeks', () => {
    // Two backups a day for 60 days.
    const backups = Array.from({ length: 120 }, (_, i) => ({
      id: `b${i}`,
      createdAt: at(Math.floor(i / 2), i % 2 ? 9 : 18),
    }));
    const keep = backupsToKeep(backups);
    const kept = backups.filter((b) => keep.has(b.id));
    // 30 Nov 2026 is a Monday: the 7 daily ones (evenings of days 0..6) already fill this week's
    // and last week's slots, so the 4 weekly slots add the newest of the 2 weeks before.
    expect(new Date(at(0)).getDay()).toBe(1);
    expect(kept.length).toBe(7 + 2);
    expect(keep.has(`b${8 * 2}`)).toBe(true); // Sunday 22 Nov
    expect(keep.has(`b${15 * 2}`)).toBe(true); // Sunday 15 Nov
    for (let day = 0; day < 7; day++) expect(keep.has(`b${day * 2}`)).toBe(true);
    expect(kept.every((b) => new Date(b.createdAt).getHours() === 18)).toBe(true);
    expect(Math.min(...kept.map((b) => b.createdAt))).toBe(at(15, 18));
  });

  it('keeps everything when there are fewer backups than slots', () => {
    const backups = [
      { id: 'a', createdAt: at(0) },
      { id: 'b', createdAt: at(3) },
    ];
    expect(backupsToKeep(backups)).toEqual(new Set(['a', 'b']));
  });
});
