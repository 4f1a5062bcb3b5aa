import {
  Component,
  Suspense,
  createElement,
  lazy,
  useEffect,
  useState,
  type ReactNode,
} from 'react';
import { Skeleton } from '../ui/Skeleton';
import { useTranslation } from 'react-i18next';
import { call, onEvent, useLive } from '../lib/api';
import { track } from '../lib/analytics';
import { ConsentBanner } from '../features/analytics/ConsentBanner';
import { applyLanguage } from '../lib/i18n';
import { applyTheme } from '../ui/theme';
import { markFirstScreen } from '../lib/startup-mark';
import { usePresenceFromVisibility } from '../lib/presence';
import { ConnectionBadge, OfflineBanner } from './ConnectionBadge';
import { startRendererHealthReports } from '../features/health/renderer-health';
import { screenComponent, screenFromHash, type ScreenId } from './screens';
import { startCallSession } from '../features/call/call-session';
import { IncomingCall } from '../features/call/IncomingCall';
import { CallBar } from '../features/call/CallBar';
import { useSwitcherKeys } from '../features/switcher/switcher-keys';
import { RAIL_GROUPS, SCREEN_ICONS } from './rail';
import { TooltipProvider } from '../ui/Tooltip';
import { Toaster } from '../ui/Toast';

// cmdk loads with the first Ctrl/Cmd+K, not with the first screen.
const QuickSwitcher = lazy(() => import('../features/switcher/QuickSwitcher'));
import { ScreenSourcePicker } from '../features/call/ScreenSourcePicker';
import { useCallState } from '../features/call/call-store';
import { startVoiceSession } from '../features/voice/voice-session';
import { startMessageNotifications } from '../features/chats/message-notifications';
import { Button } from '../ui/Button';

class ScreenErrorBoundary extends Component<
  { children: ReactNode; fallback: (e: Error) => ReactNode },
  { error: Error | null }
> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    return this.state.error ? this.props.fallback(this.state.error) : this.props.children;
  }
}

/** Commits together with the lazy screen beside it, so its effect runs once that screen is on the page. */
function FirstScreenMark() {
  useEffect(markFirstScreen, []);
  return null;
}

function trackAppOpened(): void {
  void call('app.info', undefined)
    .then((info) =>
      track('app.opened', {
        platform:
          (['linux', 'darwin', 'win32'] as const).find((p) => p === info.platform) ?? 'other',
        language: document.documentElement.lang === 'ru' ? 'ru' : 'en',
        host: info.host,
      }),
    )
    .catch(() => undefined);
}

export function App() {
  const { t } = useTranslation();
  const [screen, setScreen] = useState<ScreenId>(() => screenFromHash(location.hash));

  useEffect(
    () =>
      onEvent('settings.changed', (settings) => {
        applyLanguage(settings.language);
        applyTheme(settings.theme);
      }),
    [],
  );
  usePresenceFromVisibility();
  useEffect(startCallSession, []);
  useEffect(startRendererHealthReports, []);
  useEffect(startVoiceSession, []);
  useEffect(startMessageNotifications, []);
  const inCall = useCallState().call !== null;
  const [switcherOpen, setSwitcherOpen] = useSwitcherKeys();
  // Unread messages of all rooms: on the rail and in the window title (the tray has its own).
  const rooms = useLive('rooms.list', 'rooms.changed');
  const unread = (rooms.value ?? []).reduce((sum, room) => sum + room.unread, 0);

  // An invite link opened the app: its question is on the Chats screen.
  useEffect(
    () =>
      onEvent('invite.opened', () => {
        location.hash = '#/chats';
      }),
    [],
  );
  useEffect(() => {
    const onHash = () => setScreen(screenFromHash(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    const prefix = unread > 0 ? `(${unread > 99 ? '99+' : unread}) ` : '';
    document.title = `${prefix}${t(`nav.${screen}`)} · ${t('app.title')}`;
  }, [screen, t, unread]);
  useEffect(() => track('screen.viewed', { screen }), [screen]);
  useEffect(trackAppOpened, []);

  return (
    <TooltipProvider>
      <div className="app">
        <nav className="rail" aria-label={t('nav.label')}>
          <div className="rail-brand" aria-hidden="true">
            B
          </div>
          {RAIL_GROUPS.map((group) => (
            <ul
              key={group.key}
              className={`rail-group rail-${group.key}`}
              aria-label={group.key === 'workspace' ? t('nav.workspace') : undefined}
            >
              {group.screens.map((id) => {
                const Icon = SCREEN_ICONS[id];
                return (
                  <li key={id}>
                    <Button
                      className="rail-item"
                      testId={`nav-${id}`}
                      aria-current={id === screen ? 'page' : undefined}
                      onClick={() => {
                        location.hash = `#/${id}`;
                        setScreen(id);
                      }}
                    >
                      <Icon aria-hidden="true" />
                      <span className="rail-label">{t(`nav.${id}`)}</span>
                      {id === 'call' && inCall ? (
                        <span className="rail-badge live">{t('call.live')}</span>
                      ) : null}
                      {id === 'chats' && unread > 0 ? (
                        <span
                          className="rail-badge"
                          data-testid="nav-chats-unread"
                          aria-label={t('chats.unread', { count: unread })}
                        >
                          {unread > 99 ? '99+' : unread}
                        </span>
                      ) : null}
                    </Button>
                  </li>
                );
              })}
            </ul>
          ))}
          <ConnectionBadge />
        </nav>
        <main className="content">
          <OfflineBanner />
          {screen !== 'call' ? <CallBar /> : null}
          <ConsentBanner />
          <IncomingCall />
          {switcherOpen ? (
            <Suspense fallback={null}>
              <QuickSwitcher onClose={() => setSwitcherOpen(false)} />
            </Suspense>
          ) : null}
          <ScreenSourcePicker />
          <ScreenErrorBoundary
            key={screen}
            fallback={(e) => <p role="alert">{t('app.loadFailed', { message: e.message })}</p>}
          >
            <Suspense fallback={<Skeleton lines={6} />}>
              {/* createElement: the component is stable per screen (see screens.ts), not made here. */}
              {createElement(screenComponent(screen))}
              <FirstScreenMark />
            </Suspense>
          </ScreenErrorBoundary>
        </main>
        <Toaster />
      </div>
    </TooltipProvider>
  );
}
