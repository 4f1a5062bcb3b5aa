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

/**
 * The operating system's protection for the keystore's data key (Electron safeStorage), or what
 * stands in for it. `protects` is false when the secret is only as safe as the files on disk
 * (Linux's basic_text backend, the browser host's key file): the app says so and offers a
 * passphrase instead.
 */
export interface SecretStorage {
  /** keychain, dpapi, gnome_libsecret, kwallet..., basic_text, key_file. */
  readonly backend: string;
  readonly protects: boolean;
  wrap(secret: Buffer): Buffer;
  /** Throws when the wrapping key is gone or changed (a new keyring, another machine). */
  unwrap(wrapped: Buffer): Buffer;
}

export interface Platform {
  readonly kind: 'electron' | 'node';
  readonly appName: string;
  readonly appVersion: string;
  systemLocale(): string;
  openSettingsStore(dataDir: string): KeyValueFileStore;
  openSecretStorage(dataDir: string): SecretStorage;
  /** Memory and CPU of the processes this platform can see (main, renderers, GPU...). */
  processMetrics(): ProcessMetric[];
  /** System-wide shortcuts, or why this platform has none. */
  readonly globalShortcuts: ShortcutRegistrar | { unavailable: string };
  /** Key releases for hold-to-talk, where the system lets the app see them. */
  readonly keyRelease?: KeyReleaseWatcher | null;
  /** Opens the system file manager at the file; false where this platform has none. */
  revealFile(file: string): boolean;
  /** Opens the file with the system's application for its type; false where there is none. */
  openFile(file: string, name: string): Promise<boolean>;
}
