import type { TFunction } from 'i18next';

export function formatBytes(bytes: number, t: TFunction): string {
  const units = ['B', 'KB', 'MB', 'GB'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${t(`units.${units[unit]}`)}`;
}

export function formatDuration(totalSeconds: number): string {
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = Math.floor(totalSeconds % 60);
  return h
    ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
    : `${m}:${String(s).padStart(2, '0')}`;
}

/** How long ago, in the largest whole unit. */
export function formatAge(ms: number, t: TFunction): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return t('time.justNow');
  if (minutes < 60) return t('time.minutesAgo', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('time.hoursAgo', { count: hours });
  return t('time.daysAgo', { count: Math.floor(hours / 24) });
}

/** A clock time in the UI language ("09:38" in Russian, "9:38 AM" in English). */
export function clockTime(at: number, language: string): string {
  return new Intl.DateTimeFormat(language, { hour: 'numeric', minute: '2-digit' }).format(at);
}

/** A time for a list row: the clock today, the weekday within a week, else the date. */
export function listTime(at: number, now: number, language: string): string {
  const start = new Date(now);
  start.setHours(0, 0, 0, 0);
  if (at >= start.getTime()) return clockTime(at, language);
  if (at >= start.getTime() - 6 * 24 * 60 * 60 * 1000)
    return new Intl.DateTimeFormat(language, { weekday: 'short' }).format(at);
  return new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short' }).format(at);
}
