import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from '../../src-shared/i18n/en';
import { ru } from '../../src-shared/i18n/ru';
import { resolveLanguage } from '../../src-shared/i18n/languages';
import type { LanguageSetting } from '../../src-shared/settings';

export function initI18n(setting: LanguageSetting): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, ru: { translation: ru } },
    lng: resolveLanguage(setting, navigator.language),
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  document.documentElement.lang = i18next.language;
  return i18next;
}

export function applyLanguage(setting: LanguageSetting): void {
  const language = resolveLanguage(setting, navigator.language);
  if (i18next.language !== language) void i18next.changeLanguage(language);
  document.documentElement.lang = language;
}
