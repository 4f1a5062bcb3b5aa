/**
 * What the services need from the process they run in. The Electron shell and the browser host
 * each provide one; services never import `electron` themselves.
 */
import type { ProcessMetric } from '../../src-shared/ipc/types';
import type { KeyReleaseWatcher } from './key-release';

/** A JSON object persisted to one file (electron-store in Electron, conf in Node). */
export interface KeyValueFileStore {
  readonly path: string;
  read(): Record<string, unknown>;
  write(value: Record<string, unknown>): void;
}

export interface ShortcutRegistrar {
  /** False when the OS or another application already holds the combination. */
  register(accelerator: string, handler: () => void): boolean;
  unregister(accelerator: string): void;
}

export interface Platform {
  readonly kind: 'electron' | 'node';
  readonly appName: string;
  readonly appVersion: string;
  systemLocale(): string;
  openSettingsStore(dataDir: string): KeyValueFileStore;
  /** Memory and CPU of the processes this platform can see (main, renderers, GPU...). */
  processMetrics(): ProcessMetric[];
  /** System-wide shortcuts, or why this platform has none. */
  readonly globalShortcuts: ShortcutRegistrar | { unavailable: string };
  /** Key releases for hold-to-talk, where the system lets the app see them. */
  readonly keyRelease?: KeyReleaseWatcher | null;
  /** Opens the system file manager at the file; false where this platform has none. */
  revealFile(file: string): boolean;
}
