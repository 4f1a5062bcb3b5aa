import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { SCREENS, type ScreenId } from '../../src-shared/screens';

export { SCREENS, type ScreenId };

type ScreenModule = { default: ComponentType };

const LOADERS: Record<ScreenId, () => Promise<ScreenModule>> = {
  chats: () => import('../features/chats/ChatsScreen'),
  call: () => import('../features/call/CallScreen'),
  recordings: () => import('../features/recordings/RecordingsScreen'),
  voice: () => import('../features/voice/VoiceScreen'),
  analytics: () => import('../features/analytics/AnalyticsScreen'),
  health: () => import('../features/health/HealthScreen'),
  settings: () => import('../features/settings/SettingsScreen'),
};

/**
 * Each screen is its own chunk. A screen whose chunk is already here renders directly: going
 * through React.lazy would suspend anyway, and React holds suspended content back for ~300 ms.
 */
const loaded: Partial<Record<ScreenId, ComponentType>> = {};
const lazyScreens = Object.fromEntries(SCREENS.map((id) => [id, lazy(LOADERS[id])])) as Record<
  ScreenId,
  LazyExoticComponent<ComponentType>
>;

/** Fetches a screen's chunk and remembers its component. */
export function loadScreen(id: ScreenId): Promise<ComponentType> {
  return LOADERS[id]().then((module) => (loaded[id] = module.default));
}

const chosen: Partial<Record<ScreenId, ComponentType>> = {};

/**
 * The component for a screen: direct when its chunk is here, lazy (suspending) otherwise, chosen
 * the first time the screen renders and kept. Switching a shown screen from the lazy wrapper to
 * the loaded component (its chunk arriving from the background preload) would be a new component
 * type to React: the screen would be mounted afresh on the App's next render and lose what the
 * user had typed or was waiting for. A lazy wrapper whose chunk has arrived renders at once.
 */
export function screenComponent(id: ScreenId): ComponentType {
  return (chosen[id] ??= loaded[id] ?? lazyScreens[id]);
}

/** Warms every screen's chunk in the background, so navigation never waits. */
export function preloadAllScreens(): void {
  for (const id of SCREENS) void loadScreen(id).catch(() => undefined); // a failure shows when it renders
}

export function screenFromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '');
  return (SCREENS as readonly string[]).includes(id) ? (id as ScreenId) : 'chats';
}
