import type { LanguageSetting } from '../settings';

export type UiLanguage = 'en' | 'ru';

/** The UI language for a setting: 'system' follows the given locale, Russian or else English. */
export function resolveLanguage(setting: LanguageSetting, systemLocale: string): UiLanguage {
  if (setting !== 'system') return setting;
  return systemLocale.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}
