/** The app's screens: the renderer's navigation and the analytics `screen.viewed` events. */
export const SCREENS = [
  'chats',
  'call',
  'recordings',
  'voice',
  'analytics',
  'health',
  'settings',
] as const;
export type ScreenId = (typeof SCREENS)[number];
