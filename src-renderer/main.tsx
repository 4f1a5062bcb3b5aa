import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { loadScreen, preloadAllScreens, screenFromHash } from './app/screens';
import { call } from './lib/api';
import { initI18n } from './lib/i18n';
// Fonts are files beside the bundle, loaded when text needs them. Emoji: Twemoji as a COLR (v0)
// font, which every Chromium paints (Noto's COLRv1 draws nothing where FreeType is older).
import '@fontsource-variable/inter';
import 'twemoji-colr-font/twemoji.css';
import './ui/tokens.css';
import './ui/controls.css';
import './ui/components.css';
import './styles.css';
import { applyTheme } from './ui/theme';
import { whenFirstScreen } from './lib/startup-mark';

async function boot(): Promise<void> {
  // Fetch the first screen while the settings round trip is under way, not after it.
  const firstScreen = loadScreen(screenFromHash(location.hash)).catch((error: unknown) => {
    console.warn('first screen failed to load; it will be retried when shown', error);
  });
  const root = createRoot(document.getElementById('root') as HTMLElement);
  let language: Parameters<typeof initI18n>[0] = 'system';
  try {
    const settings = await call('settings.get');
    language = settings.language;
    applyTheme(settings.theme);
  } catch (error) {
    console.warn('settings unavailable at start; using the system language', error);
  }
  initI18n(language);
  await firstScreen;
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  // The other screens' chunks wait until the first screen is up, then load in the background.
  whenFirstScreen(preloadAllScreens);
}

void boot();
