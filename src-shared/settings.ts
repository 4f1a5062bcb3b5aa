import * as z from 'zod';
import { parseAccelerator } from './accelerator';

export const LanguageSetting = z.enum(['system', 'en', 'ru']);
export type LanguageSetting = z.infer<typeof LanguageSetting>;

/** Actions that can be bound to a global shortcut. Later capabilities add theirs here. */
export const ShortcutAction = z.enum([
  'toggleWindow',
  'toggleListening',
  'pushToTalk',
  'muteMicrophone',
]);
export type ShortcutAction = z.infer<typeof ShortcutAction>;

const ServerUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'ws:' || url.protocol === 'wss:';
    } catch {
      return false;
    }
  }, 'must be a ws:// or wss:// URL');

/** An accelerator, or '' for "not bound". */
const AcceleratorSetting = z
  .string()
  .refine((value) => value === '' || parseAccelerator(value).ok, {
    message: 'not a valid shortcut',
  });

export const ShortcutBindings = z.object({
  toggleWindow: AcceleratorSetting.default('CommandOrControl+Alt+Shift+T'),
  toggleListening: AcceleratorSetting.default('CommandOrControl+Alt+Shift+V'),
  /** Electron's globalShortcut sees key presses only: press to talk, and the command ends it. */
  pushToTalk: AcceleratorSetting.default('CommandOrControl+Alt+Shift+Space'),
  muteMicrophone: AcceleratorSetting.default('CommandOrControl+Alt+Shift+M'),
});
export type ShortcutBindings = z.infer<typeof ShortcutBindings>;

const Megabytes = z.number().int().min(1).max(1_000_000);

/** Per-category limits of local storage, in MiB; the oldest cache entries go first past a limit. */
export const StorageLimits = z.object({
  messagesMb: Megabytes.default(500),
  mediaMb: Megabytes.default(1024),
  recordingsMb: Megabytes.default(5120),
});
export type StorageLimits = z.infer<typeof StorageLimits>;

export const VoiceLanguage = z.enum(['en', 'ru']);
export type VoiceLanguage = z.infer<typeof VoiceLanguage>;

/** A wake phrase: one to four lowercase words (the model's vocabulary is checked in the UI). */
export const WakePhrase = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(60)
  .refine((value) => /^[\p{L}']+( [\p{L}']+){0,3}$/u.test(value), {
    message: 'one to four words, letters only',
  });

export const DEFAULT_WAKE_PHRASES: Record<VoiceLanguage, string[]> = {
  en: ['hey', 'listen', 'help', 'hey assistant'],
  ru: ['эй', 'слушай', 'помоги', 'слушай ассистент'],
};

const WakePhraseList = z.array(WakePhrase).max(20);

export const VoiceSettings = z.object({
  enabled: z.boolean().default(false),
  language: VoiceLanguage.default('en'),
  /** A deviceId, or '' for the system default microphone. */
  microphoneId: z.string().max(512).default(''),
  wakePhrases: z
    .object({
      en: WakePhraseList.default(DEFAULT_WAKE_PHRASES.en),
      ru: WakePhraseList.default(DEFAULT_WAKE_PHRASES.ru),
    })
    .default(DEFAULT_WAKE_PHRASES),
  /** 0: fewest false wakes (more misses) … 1: fewest misses (more false wakes). */
  sensitivity: z.number().min(0).max(1).default(0.5),
  /** A short tone when the wake word is heard and when a command is done. */
  soundCues: z.boolean().default(true),
});
export type VoiceSettings = z.infer<typeof VoiceSettings>;

/** Usage analytics are opt-in: nothing is recorded or uploaded until the user says yes. */
export const AnalyticsConsent = z.enum(['unasked', 'granted', 'denied']);
export type AnalyticsConsent = z.infer<typeof AnalyticsConsent>;

export const BackupSettings = z.object({
  /** Hours between scheduled backups; 0 turns the schedule off. */
  intervalHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 30)
    .default(24),
  atQuit: z.boolean().default(true),
  keepDaily: z.number().int().min(1).max(90).default(7),
  keepWeekly: z.number().int().min(0).max(104).default(4),
});
export type BackupSettings = z.infer<typeof BackupSettings>;

/**
 * "Let others join this computer": the embedded server listens on the local network (every
 * interface) at `port` over TLS and announces itself there. The port is chosen once, at the first
 * time hosting is turned on, and kept (colleagues' apps remember the address).
 */
/** Appearance: follow the system's light or dark preference, or keep one. */
export const ThemeSetting = z.enum(['system', 'light', 'dark']);
export type ThemeSetting = z.infer<typeof ThemeSetting>;

export const HostingSettings = z.object({
  enabled: z.boolean().default(false),
  port: z.number().int().min(1024).max(65535).nullable().default(null),
});
export type HostingSettings = z.infer<typeof HostingSettings>;

/** Desktop notifications for new messages (each room also has its level: see NotifyLevel). */
export const NotificationSettings = z.object({
  /** Do not disturb: no notification and no sound until turned off (tray or Settings). */
  doNotDisturb: z.boolean().default(false),
  /** Show what was written; off: only who wrote in which room. */
  showText: z.boolean().default(true),
  sound: z.boolean().default(true),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;

export const SettingsSchema = z.object({
  language: LanguageSetting.default('system'),
  theme: ThemeSetting.default('system'),
  /** null: host the server on this computer (the embedded server). */
  serverUrl: ServerUrl.nullable().default(null),
  closeToTray: z.boolean().default(true),
  shortcuts: ShortcutBindings.default(ShortcutBindings.parse({})),
  storageLimits: StorageLimits.default(StorageLimits.parse({})),
  voice: VoiceSettings.default(VoiceSettings.parse({})),
  analyticsConsent: AnalyticsConsent.default('unasked'),
  backups: BackupSettings.default(BackupSettings.parse({})),
  /** More servers to fail over to, tried in order after serverUrl when it is down. */
  fallbackServerUrls: z.array(ServerUrl).max(8).default([]),
  hosting: HostingSettings.default(HostingSettings.parse({})),
  /**
   * The server the app was on before an invite moved it to another (null: this computer), so
   * that going back is one click.
   */
  previousServerUrl: ServerUrl.nullable().default(null),
  notifications: NotificationSettings.default(NotificationSettings.parse({})),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingsPatchSchema = z
  .object({
    language: LanguageSetting,
    theme: ThemeSetting,
    serverUrl: ServerUrl.nullable(),
    closeToTray: z.boolean(),
    shortcuts: ShortcutBindings.partial().strict(),
    storageLimits: StorageLimits.partial().strict(),
    voice: VoiceSettings.partial().strict(),
    analyticsConsent: AnalyticsConsent,
    backups: BackupSettings.partial().strict(),
    fallbackServerUrls: z.array(ServerUrl).max(8),
    hosting: HostingSettings.partial().strict(),
    previousServerUrl: ServerUrl.nullable(),
    notifications: NotificationSettings.partial().strict(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/**
 * Reads a stored settings object field by field: a field that fails validation falls back to its
 * default instead of discarding the whole file (a hand-edited or older file still loads).
 */
export function readStoredSettings(stored: unknown): { settings: Settings; repaired: string[] } {
  const source = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const repaired: string[] = [];
  const pick = <T>(key: string, schema: z.ZodType<T>, fallback: T): T => {
    if (!(key in source)) return fallback;
    const parsed = schema.safeParse(source[key]);
    if (parsed.success) return parsed.data;
    repaired.push(key);
    return fallback;
  };
  const storedShortcuts = (source.shortcuts ?? {}) as Record<string, unknown>;
  const shortcuts = { ...DEFAULT_SETTINGS.shortcuts };
  for (const action of ShortcutAction.options) {
    if (!(action in storedShortcuts)) continue;
    const parsed = AcceleratorSetting.safeParse(storedShortcuts[action]);
    if (parsed.success) shortcuts[action] = parsed.data;
    else repaired.push(`shortcuts.${action}`);
  }
  return {
    settings: {
      language: pick('language', LanguageSetting, DEFAULT_SETTINGS.language),
      theme: pick('theme', ThemeSetting, DEFAULT_SETTINGS.theme),
      serverUrl: pick('serverUrl', ServerUrl.nullable(), DEFAULT_SETTINGS.serverUrl),
      closeToTray: pick('closeToTray', z.boolean(), DEFAULT_SETTINGS.closeToTray),
      shortcuts,
      storageLimits: pick('storageLimits', StorageLimits.strict(), DEFAULT_SETTINGS.storageLimits),
      voice: pick('voice', VoiceSettings, DEFAULT_SETTINGS.voice),
      analyticsConsent: pick(
        'analyticsConsent',
        AnalyticsConsent,
        DEFAULT_SETTINGS.analyticsConsent,
      ),
      backups: pick('backups', BackupSettings.strict(), DEFAULT_SETTINGS.backups),
      fallbackServerUrls: pick(
        'fallbackServerUrls',
        z.array(ServerUrl).max(8),
        DEFAULT_SETTINGS.fallbackServerUrls,
      ),
      hosting: pick('hosting', HostingSettings.strict(), DEFAULT_SETTINGS.hosting),
      previousServerUrl: pick(
        'previousServerUrl',
        ServerUrl.nullable(),
        DEFAULT_SETTINGS.previousServerUrl,
      ),
      notifications: pick(
        'notifications',
        NotificationSettings.strict(),
        DEFAULT_SETTINGS.notifications,
      ),
    },
    repaired,
  };
}
