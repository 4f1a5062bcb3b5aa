import type { TFunction } from 'i18next';
import type { HealthReading } from '../../../src-shared/ipc/operations-types';

/** A rule's figure in the UI language: units through Intl ("2 ч", "30 min"), states in words. */
export function readingText(
  reading: HealthReading | null | undefined,
  fallback: string | null,
  language: string,
  t: TFunction,
): string {
  if (!reading) return fallback ?? '—';
  if ('word' in reading) return t(`health.readings.${reading.word}`);
  // "none for 0 h" right after the first start says nothing: none yet.
  if (reading.phrase === 'noneFor' && reading.amount < 1) return t('health.readings.noneYet');
  const figure = new Intl.NumberFormat(language, {
    style: 'unit',
    unit: reading.unit,
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(reading.amount);
  return reading.phrase ? t(`health.readings.${reading.phrase}`, { figure }) : figure;
}

/** A process kind in words (main, renderer, gpu, utility…); one the app does not know stays as it is. */
export function processKind(kind: string, t: TFunction): string {
  return t(`health.processKinds.${kind}`, { defaultValue: kind });
}
