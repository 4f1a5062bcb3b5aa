import type { TFunction } from 'i18next';
import { ApiError } from '../../../src-shared/ipc/api-error';
import { ShortcutAction } from '../../../src-shared/settings';

/**
 * A refused save in words: which setting, and what a good value looks like. The validation text
 * (`serverUrl: must be a ws:// or wss:// URL`) goes behind Details.
 */
export function settingsErrorText(
  error: unknown,
  t: TFunction,
): { summary: string; detail: string } {
  if (!(error instanceof ApiError) || !error.issues?.length) {
    const detail = (error as Error)?.message ?? String(error);
    return { summary: t('settings.errors.generic'), detail };
  }
  const detail = error.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  const sentences = error.issues.map(({ path }) => {
    const [field, part] = path.split('.');
    if (field === 'serverUrl' || field === 'previousServerUrl')
      return t('settings.errors.serverUrl');
    if (field === 'fallbackServerUrls') return t('settings.errors.fallbackServerUrls');
    if (field === 'shortcuts' && ShortcutAction.safeParse(part).success)
      return t('settings.errors.shortcut', { action: t(`settings.shortcutAction.${part}`) });
    if (field === 'hosting') return t('settings.errors.port');
    return t('settings.errors.generic');
  });
  return { summary: [...new Set(sentences)].join(' '), detail };
}
