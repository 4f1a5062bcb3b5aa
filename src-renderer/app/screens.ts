import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export const SCREENS = ['chats', 'call', 'voice', 'analytics', 'health', 'settings'] as const;
export type ScreenId = (typeof SCREENS)[number];

type ScreenModule = { default: ComponentType };

const LOADERS: Record<ScreenId, () => Promise<ScreenModule>> = {
  chats: () => import('../features/chats/ChatsScreen'),
  call: () => import('../features/call/CallScreen'),
  voice: () => import('../features/voice/VoiceScreen'),
  analytics: () => import('../features/analytics/AnalyticsScreen'),
  health: () => import('../features/health/HealthScreen'),
  settings: () => import('../features/settings/SettingsScreen'),
};

/** Each screen is its own chunk, so the first paint loads only the shell and one screen. */
export const SCREEN_COMPONENTS = Object.fromEntries(
  SCREENS.map((id) => [id, lazy(LOADERS[id])]),
) as Record<ScreenId, LazyExoticComponent<ComponentType>>;

/** Starts fetching a screen's chunk now (the module cache serves the later lazy import). */
export function preloadScreen(id: ScreenId): void {
  void LOADERS[id]().catch(() => undefined); // a failure shows when the screen renders
}

export function screenFromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '');
  return (SCREENS as readonly string[]).includes(id) ? (id as ScreenId) : 'chats';
}
