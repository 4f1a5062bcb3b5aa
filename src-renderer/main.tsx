import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { preloadScreen, screenFromHash } from './app/screens';
import { call } from './lib/api';
import { initI18n } from './lib/i18n';
import './styles.css';

async function boot(): Promise<void> {
  // Fetch the first screen while the settings round trip is under way, not after it.
  preloadScreen(screenFromHash(location.hash));
  const root = createRoot(document.getElementById('root') as HTMLElement);
  let language: Parameters<typeof initI18n>[0] = 'system';
  try {
    language = (await call('settings.get')).language;
  } catch (error) {
    console.warn('settings unavailable at start; using the system language', error);
  }
  initI18n(language);
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

void boot();
