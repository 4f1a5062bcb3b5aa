/**
 * The Electron shell: lifecycle, single-instance lock, window, tray, global shortcuts, IPC.
 * Everything it decides is in guards.ts; everything it does with data is in services.
 */
import path from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import { en } from '../../src-shared/i18n/en';
import { ru } from '../../src-shared/i18n/ru';
import { resolveLanguage } from '../../src-shared/i18n/languages';
import { quitWarning } from '../services/server-host/hosting-service';
import { inviteInArgv } from '../services/chat/invite-service';
import { LINK_SCHEME } from '../../src-shared/protocol/entities';
import { createLogger } from '../../src-shared/log';
import { createElectronPlatform } from '../platform/electron-platform';
import { startServices, type Services } from '../services/container';
import { openLogFile } from '../services/logging/log-file';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { handleDisplayMedia } from './display-media';
import { recordingFileFor } from '../services/recordings/recording-service';
import { mediaFileFor } from '../services/media/media-service';
import { ringingCalls } from '../../src-shared/protocol/calls';
import type { EventPayload } from '../../src-shared/ipc/contract';
import { registerIpc } from './ipc';
import { AppTray } from './tray';
import { createMainWindow } from './window';

const distDir = path.join(__dirname, '..');
const resourcesDir = app.isPackaged
  ? process.resourcesPath
  : path.join(__dirname, '..', '..', 'resources');

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the data directory; it gets focused by its 'second-instance' handler.
  app.quit();
} else {
  run().catch((error: unknown) => {
    // Nothing to show a window with: say what happened and where the log is, then quit.
    const logFile = path.join(app.getPath('userData'), 'logs', 'main.log');
    dialog.showErrorBox(
      'Beseda could not start',
      `${(error as Error)?.message ?? String(error)}\n\nDetails are in ${logFile}`,
    );
    app.exit(1);
  });
}

async function run(): Promise<void> {
  const writeLog = openLogFile(path.join(app.getPath('userData'), 'logs'), 'main.log');
  const logger = createLogger(
    (line) => {
      writeLog(line);
      process.stderr.write(line + '\n');
    },
    { process: 'main' },
  );
  process.on('uncaughtException', (error) => logger.error('uncaught exception', { error }));
  process.on('unhandledRejection', (reason) =>
    logger.error('unhandled rejection', { reason: String(reason) }),
  );

  await app.whenReady();
  let services: Services | null = null;
  serveRenderer(path.join(distDir, 'renderer'), (url) =>
    services
      ? (recordingFileFor(services.recordings, url.pathname) ??
        services.voiceModels.fileFor(url.pathname) ??
        mediaFileFor(services.media, url))
      : null,
  );
  logger.info('starting', { version: app.getVersion(), dataDir: app.getPath('userData') });

  let window: BrowserWindow | null = null;
  let tray: AppTray | null = null;
  let quitting = false;

  const showWindow = () => {
    if (!window || window.isDestroyed()) window = openWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  const isWindowVisible = () => Boolean(window && !window.isDestroyed() && window.isVisible());
  const toggleWindow = () => {
    if (window && !window.isDestroyed() && window.isVisible()) window.hide();
    else showWindow();
  };

  let started: Services;
  try {
    started = await startServices({
      dataDir: app.getPath('userData'),
      platform: createElectronPlatform(logger),
      logger,
      host: 'electron',
      shortcutHandlers: { toggleWindow },
      bundledVoiceModelsDir: path.join(resourcesDir, 'voice-models'),
      desktop: {
        isWindowVisible,
        controlWindow: (action) => {
          if (action === 'toggle') toggleWindow();
          else if (action === 'show') showWindow();
          else window?.hide();
        },
        chooseModelSource: async () => {
          const result = await dialog.showOpenDialog({
            title: 'Speech model',
            properties: ['openFile', 'openDirectory'],
            filters: [{ name: 'Vosk model', extensions: ['zip', 'gz', 'tgz'] }],
          });
          return result.canceled ? null : (result.filePaths[0] ?? null);
        },
        setVoiceIndicator: (state) => tray?.setVoiceState(state),
        chooseExportFile: async (suggestedName) => {
          const result = await dialog.showSaveDialog({
            title: 'Export backup',
            defaultPath: suggestedName,
            filters: [{ name: 'Beseda backup', extensions: ['tdbackup'] }],
          });
          return result.canceled ? null : (result.filePath ?? null);
        },
        chooseBackupFile: async () => {
          const result = await dialog.showOpenDialog({
            title: 'Restore from backup',
            properties: ['openFile'],
            filters: [{ name: 'Beseda backup', extensions: ['tdbackup'] }],
          });
          return result.canceled ? null : (result.filePaths[0] ?? null);
        },
      },
    });
  } catch (error) {
    logger.error('services failed to start', { error });
    throw error;
  }
  services = started;
  registerIpc(started, logger.child({ component: 'ipc' }));
  handleDisplayMedia(started.screenPicker, logger.child({ component: 'display-media' }));
  // While a call rings and the window is hidden, the tray says so.
  started.events.subscribe((name, payload) => {
    if (name !== 'calls.changed') return;
    const { active, me, current, declined } = payload as EventPayload<'calls.changed'>;
    const ringing = ringingCalls(active, me, { inCall: !!current, declined, now: Date.now() });
    tray?.setRinging(
      ringing.length > 0 && !(window && !window.isDestroyed() && window.isVisible()),
    );
  });

  const keepsServing = () => started.settings.get().hosting.enabled;
  const uiText = () =>
    resolveLanguage(started.settings.get().language, app.getLocale()) === 'ru' ? ru : en;
  const trayText = () => uiText().tray;
  // The text follows the language; the do-not-disturb check follows Settings.
  started.settings.onChange(() => tray?.setText(trayText()));

  function openWindow(): BrowserWindow {
    const created = createMainWindow(
      path.join(distDir, 'preload', 'electron-preload.cjs'),
      logger,
      (key, severity, title, detail) => started.incidents.report(key, severity, title, detail),
    );
    created.on('close', (event) => {
      // While colleagues may be connected to this computer, closing the window never stops it.
      if (!quitting && (started.settings.get().closeToTray || keepsServing())) {
        event.preventDefault();
        created.hide();
      }
    });
    // The tray's Show/Hide label follows the window however it was shown or hidden.
    // Voice commands depend on it too ("show window" only while hidden).
    const windowChanged = () => {
      tray?.refresh();
      started.events.emit('window.changed', { supported: true, visible: isWindowVisible() });
    };
    created.on('show', windowChanged);
    created.on('hide', windowChanged);
    created.on('closed', () => {
      if (window === created) window = null;
    });
    return created;
  }

  // Invite links: the system starts the app with one, hands it to the running one, or (macOS)
  // sends open-url. The window asks before it connects anywhere.
  const openInvite = (text: string | null) => {
    if (!text) return;
    started.invites.open(text);
    showWindow();
  };
  if (app.isPackaged) app.setAsDefaultProtocolClient(LINK_SCHEME);
  app.on('second-instance', (_event, argv) => {
    showWindow();
    openInvite(inviteInArgv(argv));
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    openInvite(url);
  });
  app.on('activate', () => showWindow());
  app.on('before-quit', (event) => {
    // Quitting while hosting stops the server colleagues are on: said first, and asked.
    const warning = quitWarning(started.hosting.status());
    if (!quitting && warning) {
      const text = uiText().hosting;
      const choice = dialog.showMessageBoxSync({
        type: 'warning',
        message: text.quitWhileHosting,
        detail: text.quitWhileHostingDetail.replace('{{count}}', String(warning.guests)),
        buttons: [text.quit, text.keepRunning],
        defaultId: 1,
        cancelId: 1,
      });
      if (choice !== 0) {
        event.preventDefault();
        window?.hide();
        return;
      }
    }
    quitting = true;
  });
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    tray?.destroy();
    void started.stop().finally(() => {
      stopped = true;
      app.quit();
    });
  });
  app.on('window-all-closed', () => {
    // With close-to-tray off, closing the last window quits (except on macOS, by convention).
    if (process.platform !== 'darwin' && !started.settings.get().closeToTray && !keepsServing())
      app.quit();
  });

  window = openWindow();
  openInvite(inviteInArgv(process.argv));
  // Unread messages on the tray's tooltip and the dock/launcher badge.
  const showUnread = () => {
    const unread = started.messages.rooms().reduce((sum, room) => sum + room.unread, 0);
    tray?.setUnread(unread);
    app.setBadgeCount(unread);
  };
  started.events.subscribe((name) => {
    if (name === 'rooms.changed') showUnread();
  });
  tray = new AppTray(path.join(resourcesDir, 'tray.png'), trayText(), {
    isWindowVisible,
    toggleWindow,
    toggleListening: () => started.events.emit('voice.hotkey', { action: 'toggleListening' }),
    doNotDisturb: () => started.settings.get().notifications.doNotDisturb,
    setDoNotDisturb: (on) => started.settings.update({ notifications: { doNotDisturb: on } }),
    showWindow,
    quit: () => app.quit(),
  });
  showUnread();
}
