import {
  Activity,
  Archive,
  BarChart3,
  Bell,
  HardDrive,
  Mic,
  Server,
  SlidersHorizontal,
  type LucideIcon,
} from 'lucide-react';
import { Skeleton } from '../../ui/Skeleton';
import { useTranslation } from 'react-i18next';
import { useAppInfo, useLive } from '../../lib/api';
import { SettingsForm } from './SettingsForm';
import { StorageSection } from './StorageSection';
import { HostingSection } from './HostingSection';
import { NotificationsSection } from './NotificationsSection';
import { BackupsSection } from './BackupsSection';
import { VoiceSettingsSection } from '../voice/VoiceSettingsSection';
import { Button } from '../../ui/Button';

/** The sections, in the list beside the content (each one scrolls its part into view). */
const SECTIONS: { id: string; label: string; icon: LucideIcon }[] = [
  { id: 'general', label: 'settings.sections.general', icon: SlidersHorizontal },
  { id: 'notifications', label: 'notify.title', icon: Bell },
  { id: 'hosting', label: 'hosting.title', icon: Server },
  { id: 'voice', label: 'voice.title', icon: Mic },
  { id: 'storage', label: 'settings.storage', icon: HardDrive },
  { id: 'backups', label: 'backups.title', icon: Archive },
];
/** The workspace's own screens, reached from here as well as from the rail. */
const WORKSPACE: { id: 'analytics' | 'health'; icon: LucideIcon }[] = [
  { id: 'analytics', icon: BarChart3 },
  { id: 'health', icon: Activity },
];

export default function SettingsScreen() {
  const { t } = useTranslation();
  const settings = useLive('settings.get', 'settings.changed');
  const shortcuts = useLive('shortcuts.status', 'shortcuts.changed');
  const connection = useLive('connection.status', 'connection.changed');
  const info = useAppInfo();
  return (
    <section data-testid="screen-settings" className="settings-screen">
      <h1>{t('settings.title')}</h1>
      <div className="settings-layout">
        <nav className="settings-nav" aria-label={t('settings.sections.label')}>
          <ul>
            {SECTIONS.map(({ id, label, icon: Icon }) => (
              <li key={id}>
                <Button
                  variant="ghost"
                  testId={`settings-nav-${id}`}
                  onClick={() =>
                    document.getElementById(`settings-${id}`)?.scrollIntoView({ block: 'start' })
                  }
                >
                  <Icon aria-hidden="true" />
                  {t(label)}
                </Button>
              </li>
            ))}
          </ul>
          <h2 className="settings-nav-heading">{t('nav.workspace')}</h2>
          <ul>
            {WORKSPACE.map(({ id, icon: Icon }) => (
              <li key={id}>
                <Button
                  variant="ghost"
                  testId={`settings-open-${id}`}
                  onClick={() => {
                    location.hash = `#/${id}`;
                  }}
                >
                  <Icon aria-hidden="true" />
                  {t(`nav.${id}`)}
                </Button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings-content">
          {settings.error ? <p role="alert">{settings.error}</p> : null}
          <div id="settings-general">
            {settings.value ? (
              <SettingsForm
                settings={settings.value}
                shortcuts={shortcuts.value ?? []}
                connection={connection.value}
              />
            ) : (
              <Skeleton lines={6} />
            )}
          </div>
          <div id="settings-notifications">
            {settings.value ? <NotificationsSection settings={settings.value} /> : null}
          </div>
          <div id="settings-hosting">
            {settings.value ? <HostingSection settings={settings.value} /> : null}
          </div>
          <div id="settings-voice">
            {settings.value ? <VoiceSettingsSection settings={settings.value} /> : null}
          </div>
          <div id="settings-storage">
            {settings.value ? <StorageSection limits={settings.value.storageLimits} /> : null}
          </div>
          <div id="settings-backups">
            {info ? <BackupsSection desktop={info.host === 'electron'} /> : null}
          </div>
        </div>
      </div>
    </section>
  );
}
