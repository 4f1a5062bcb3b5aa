import {
  SettingsSchema,
  readStoredSettings,
  type Settings,
  type SettingsPatch,
} from '../../../src-shared/settings';
import type { Logger } from '../../../src-shared/log';
import type { KeyValueFileStore } from '../../platform/platform';

/** The user's settings: validated on every read and write, persisted to the platform's store. */
export class SettingsService {
  private current: Settings;
  private readonly listeners = new Set<(next: Settings, previous: Settings) => void>();

  constructor(
    private readonly store: KeyValueFileStore,
    private readonly logger: Logger,
  ) {
    const { settings, repaired } = readStoredSettings(store.read());
    if (repaired.length) {
      logger.warn('settings: invalid stored values replaced by defaults', {
        repaired,
        file: store.path,
      });
      store.write(settings);
    }
    this.current = settings;
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  /** Applies a validated patch, persists it, and tells listeners what changed. */
  update(patch: SettingsPatch): Settings {
    const previous = this.current;
    const next = SettingsSchema.parse({
      ...previous,
      ...patch,
      shortcuts: { ...previous.shortcuts, ...patch.shortcuts },
      storageLimits: { ...previous.storageLimits, ...patch.storageLimits },
      voice: { ...previous.voice, ...patch.voice },
      backups: { ...previous.backups, ...patch.backups },
      hosting: { ...previous.hosting, ...patch.hosting },
      notifications: { ...previous.notifications, ...patch.notifications },
    });
    this.store.write(next);
    this.current = next;
    this.logger.info('settings updated', { keys: Object.keys(patch) });
    for (const listener of this.listeners) listener(this.get(), previous);
    return this.get();
  }

  onChange(listener: (next: Settings, previous: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
