import {
  DEFAULT_SETTINGS,
  SettingsPatchSchema,
  readStoredSettings,
} from '../../src-shared/settings';

describe('readStoredSettings', () => {
  it('uses defaults for an empty or non-object store', () => {
    expect(readStoredSettings({})).toEqual({ settings: DEFAULT_SETTINGS, repaired: [] });
    expect(readStoredSettings(null).settings).toEqual(DEFAULT_SETTINGS);
    expect(readStoredSettings('garbage').settings).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps valid fields and repairs only the invalid ones', () => {
    const { settings, repaired } = readStoredSettings({
      language: 'ru',
      serverUrl: 'http://not-a-websocket',
      closeToTray: 'yes',
      shortcuts: { toggleWindow: 'Ctrl+Nonsense' },
      unknownKey: 1,
    });
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, language: 'ru' });
    expect(repaired.sort()).toEqual(['closeToTray', 'serverUrl', 'shortcuts.toggleWindow']);
  });

  it('keeps a valid server URL and an unbound shortcut', () => {
    const { settings } = readStoredSettings({
      serverUrl: 'wss://chat.example.org/ws',
      shortcuts: { toggleWindow: '' },
    });
    expect(settings.serverUrl).toBe('wss://chat.example.org/ws');
    expect(settings.shortcuts.toggleWindow).toBe('');
  });
});

describe('SettingsPatchSchema', () => {
  it('accepts partial patches and rejects unknown keys and bad values', () => {
    expect(SettingsPatchSchema.safeParse({ language: 'en' }).success).toBe(true);
    expect(SettingsPatchSchema.safeParse({ shortcuts: { toggleWindow: 'Alt+F4' } }).success).toBe(
      true,
    );
    expect(SettingsPatchSchema.safeParse({ language: 'de' }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ wallpaper: 'dark' }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ theme: 'dark' }).success).toBe(true);
    expect(SettingsPatchSchema.safeParse({ theme: 'sepia' }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ shortcuts: { launchRockets: 'Alt+R' } }).success).toBe(
      false,
    );
    expect(SettingsPatchSchema.safeParse({ serverUrl: 'ftp://x' }).success).toBe(false);
  });
});
