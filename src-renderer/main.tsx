import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { loadScreen, preloadAllScreens, screenFromHash } from './app/screens';
import { call } from './lib/api';
import { initI18n } from './lib/i18n';
import './styles.css';

async function boot(): Promise<void> {
  // Fetch the first screen while the settings round trip is under way, not after it.
  const firstScreen = loadScreen(screenFromHash(location.hash)).catch((error: unknown) => {
    console.warn('first screen failed to load; it will be retried when shown', error);
  });
  const root = createRoot(document.getElementById('root') as HTMLElement);
  let language: Parameters<typeof initI18n>[0] = 'system';
  try {
    language = (await call('settings.get')).language;
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
  setTimeout(preloadAllScreens, 0);
}

void boot();
