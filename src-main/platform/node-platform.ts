/** The Platform of the browser host and of tests: plain Node, no Electron. */
import Conf from 'conf';
import type { KeyValueFileStore, Platform } from './platform';
import { ProcessCpuSampler } from './process-cpu';
import { createKeyFileStorage } from './key-file-storage';

export interface NodePlatformOptions {
  appName?: string;
  appVersion?: string;
  locale?: string;
}

export function createNodePlatform(options: NodePlatformOptions = {}): Platform {
  const cpu = new ProcessCpuSampler();
  return {
    kind: 'node',
    appName: options.appName ?? 'Beseda',
    appVersion: options.appVersion ?? '0.0.0',
    systemLocale: () =>
      options.locale ?? Intl.DateTimeFormat().resolvedOptions().locale ?? process.env.LANG ?? 'en',
    openSettingsStore(dataDir: string): KeyValueFileStore {
      // The same engine electron-store uses, with the same file name and atomic writes.
      const conf = new Conf<Record<string, unknown>>({
        cwd: dataDir,
        configName: 'settings',
        projectName: 'beseda',
        clearInvalidConfig: true,
      });
      return {
        path: conf.path,
        read: () => ({ ...conf.store }),
        write: (value) => {
          conf.store = value;
        },
      };
    },
    openSecretStorage: (dataDir) => createKeyFileStorage(dataDir),
    processMetrics: () => [
      {
        kind: 'main',
        pid: process.pid,
        memoryBytes: process.memoryUsage().rss,
        cpuPercent: cpu.sample(),
      },
    ],
    globalShortcuts: {
      unavailable:
        'System-wide shortcuts need the desktop app; the browser host cannot register them.',
    },
    // A browser page cannot open the file manager of the machine that runs the host.
    revealFile: () => false,
    openFile: () => Promise.resolve(false),
  };
}
