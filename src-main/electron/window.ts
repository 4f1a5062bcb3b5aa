import { BrowserWindow, dialog, shell } from 'electron';
import type { Logger } from '../../src-shared/log';
import { APP_ENTRY_URL, decidePermission, externalLinkTarget, mayNavigate } from './guards';
import { RendererWatchdog, type WatchdogActions } from './renderer-watchdog';

/** The main window: isolated, sandboxed, no Node, guarded against navigation and new windows. */
export function createMainWindow(
  preload: string,
  logger: Logger,
  reportIncident: WatchdogActions['incident'],
): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click would open links in new windows; the window-open handler denies them too.
      disableBlinkFeatures: 'Auxclick',
      // Voice control keeps listening and calls keep running while the window is hidden.
      backgroundThrottling: false,
    },
  });
  const contents = window.webContents;
  const session = contents.session;

  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = decidePermission(permission, details.requestingUrl);
    if (!allowed) logger.warn('permission refused', { permission, url: details.requestingUrl });
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    decidePermission(permission, requestingOrigin),
  );

  contents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url)) {
      event.preventDefault();
      logger.warn('navigation blocked', { url });
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!mayNavigate(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalLinkTarget(url);
    if (external) void shell.openExternal(external);
    return { action: 'deny' };
  });
  const watchdog = new RendererWatchdog({
    reload: () => contents.reload(),
    kill: () => contents.forcefullyCrashRenderer(),
    showCrashLoop: () =>
      dialog.showErrorBox(
        'Beseda',
        'The window keeps crashing. Your messages are safe; restart the app, and see the Health screen afterwards.',
      ),
    incident: reportIncident,
  });
  contents.on('render-process-gone', (_event, details) => {
    logger.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode });
    watchdog.gone(details.reason, details.exitCode);
  });
  window.on('unresponsive', () => {
    logger.warn('renderer unresponsive');
    watchdog.unresponsive();
  });
  window.on('responsive', () => watchdog.responsive());

  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
