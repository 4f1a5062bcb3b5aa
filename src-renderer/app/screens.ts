import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export const SCREENS = ['chats', 'call', 'voice', 'analytics', 'health', 'settings'] as const;
export type ScreenId = (typeof SCREENS)[number];

/** Each screen is its own chunk, so the first paint loads only the shell and one screen. */
export const SCREEN_COMPONENTS: Record<ScreenId, LazyExoticComponent<ComponentType>> = {
  chats: lazy(() => import('../features/chats/ChatsScreen')),
  call: lazy(() => import('../features/call/CallScreen')),
  voice: lazy(() => import('../features/voice/VoiceScreen')),
  analytics: lazy(() => import('../features/analytics/AnalyticsScreen')),
  health: lazy(() => import('../features/health/HealthScreen')),
  settings: lazy(() => import('../features/settings/SettingsScreen')),
};

export function screenFromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '');
  return (SCREENS as readonly string[]).includes(id) ? (id as ScreenId) : 'chats';
}
