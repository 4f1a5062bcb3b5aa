import type { ThemeSetting } from '../../src-shared/settings';

/** Applies the appearance setting: tokens.css reads html[data-theme] (system: the OS decides). */
export function applyTheme(setting: ThemeSetting): void {
  document.documentElement.dataset.theme = setting;
}
