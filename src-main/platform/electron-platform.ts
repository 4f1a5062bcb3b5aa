/** The Platform inside Electron's main process. */
import fs from 'node:fs';
import path from 'node:path';
import { app, globalShortcut, safeStorage, shell } from 'electron';
import ElectronStore from 'electron-store';
import type { Logger } from '../../src-shared/log';
import { createKeyReleaseWatcher } from './key-release';
import type { Platform } from './platform';

export function createElectronPlatform(logger: Logger): Platform {
  const keyRelease = createKeyReleaseWatcher(logger.child({ service: 'key-release' }));
  if ('unavailable' in keyRelease)
    logger.info('push-to-talk is press-to-listen here', { reason: keyRelease.unavailable });
  return {
    kind: 'electron',
    appName: app.getName(),
    appVersion: app.getVersion(),
    systemLocale: () => app.getLocale(),
    openSettingsStore(dataDir) {
      const store = new ElectronStore<Record<string, unknown>>({
        name: 'settings',
        cwd: dataDir,
        clearInvalidConfig: true,
      });
      return {
        path: store.path,
        read: () => ({ ...store.store }),
        write: (value) => {
          store.store = value;
        },
      };
    },
    openSecretStorage: () => {
      // Linux picks its backend (libsecret, kwallet, or basic_text with a hard-coded key) at
      // ready; macOS and Windows always have the keychain or DPAPI.
      const backend =
        process.platform === 'linux'
          ? safeStorage.getSelectedStorageBackend()
          : process.platform === 'darwin'
            ? 'keychain'
            : 'dpapi';
      const available = safeStorage.isEncryptionAvailable();
      return {
        backend: available ? backend : 'unavailable',
        protects: available && backend !== 'basic_text' && backend !== 'unknown',
        wrap: (secret) => {
          if (!available) throw new Error('safeStorage is not available');
          return safeStorage.encryptString(secret.toString('base64'));
        },
        unwrap: (wrapped) => Buffer.from(safeStorage.decryptString(wrapped), 'base64'),
      };
    },
    processMetrics: () =>
      app.getAppMetrics().map((metric) => ({
        kind: metric.type === 'Browser' ? 'main' : metric.type.toLowerCase(),
        pid: metric.pid,
        memoryBytes: metric.memory.workingSetSize * 1024,
        cpuPercent: Math.round(metric.cpu.percentCPUUsage * 10) / 10,
      })),
    globalShortcuts: {
      register: (accelerator, handler) => {
        try {
          return globalShortcut.register(accelerator, handler);
        } catch {
          return false;
        }
      },
      unregister: (accelerator) => globalShortcut.unregister(accelerator),
    },
    keyRelease: 'unavailable' in keyRelease ? null : keyRelease,
    revealFile: (file) => {
      shell.showItemInFolder(file);
      return true;
    },
    // The media cache names files by hash: the system picks an application by the extension, so
    // the file is opened from a copy under its own name.
    openFile: async (file, name) => {
      const dir = fs.mkdtempSync(path.join(app.getPath('temp'), 'beseda-open-'));
      const copy = path.join(dir, path.basename(name));
      fs.copyFileSync(file, copy);
      return (await shell.openPath(copy)) === '';
    },
  };
}
