import {
  Activity,
  BarChart3,
  MessagesSquare,
  Mic,
  Phone,
  Settings,
  Video,
  type LucideIcon,
} from 'lucide-react';
import type { ScreenId } from './screens';

/**
 * The rail: what a team uses all day in front (chats, the call, recordings, voice control), and
 * the workspace's own screens (analytics for those allowed, health, settings) apart at the bottom.
 */
export const RAIL_GROUPS: readonly { key: 'main' | 'workspace'; screens: readonly ScreenId[] }[] = [
  { key: 'main', screens: ['chats', 'call', 'recordings', 'voice'] },
  { key: 'workspace', screens: ['analytics', 'health', 'settings'] },
];

export const SCREEN_ICONS: Record<ScreenId, LucideIcon> = {
  chats: MessagesSquare,
  call: Phone,
  recordings: Video,
  voice: Mic,
  analytics: BarChart3,
  health: Activity,
  settings: Settings,
};
