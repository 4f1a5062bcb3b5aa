/**
 * Which backups to keep: the newest of each of the last `daily` days that have one, and the
 * newest of each of the last `weekly` ISO weeks that have one (restic's keep-daily/keep-weekly).
 * A backup can fill both a daily and a weekly slot. Pure, for testing with any clock.
 */
export interface RotationPolicy {
  daily: number;
  weekly: number;
}

export const DEFAULT_ROTATION: RotationPolicy = { daily: 7, weekly: 4 };

function dayKey(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** Monday-based week of the local calendar. */
function weekKey(at: number): string {
  const d = new Date(at);
  const monday = new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7));
  return dayKey(monday.getTime());
}

/** The ids to keep, given every verified backup's id and time. */
export function backupsToKeep(
  backups: ReadonlyArray<{ id: string; createdAt: number }>,
  policy: RotationPolicy = DEFAULT_ROTATION,
): Set<string> {
  const newestFirst = [...backups].sort((a, b) => b.createdAt - a.createdAt);
  const keep = new Set<string>();
  const slot = (key: (at: number) => string, count: number) => {
    const seen = new Set<string>();
    for (const backup of newestFirst) {
      const k = key(backup.createdAt);
      if (seen.has(k)) continue;
      if (seen.size >= count) break;
      seen.add(k);
      keep.add(backup.id);
    }
  };
  slot(dayKey, policy.daily);
  slot(weekKey, policy.weekly);
  return keep;
}
