import { useTranslation } from 'react-i18next';
import { useAppInfo, useLive } from '../../lib/api';
import { SettingsForm } from './SettingsForm';
import { StorageSection } from './StorageSection';
import { HostingSection } from './HostingSection';
import { BackupsSection } from './BackupsSection';
import { VoiceSettingsSection } from '../voice/VoiceSettingsSection';

export default function SettingsScreen() {
  const { t } = useTranslation();
  const settings = useLive('settings.get', 'settings.changed');
  const shortcuts = useLive('shortcuts.status', 'shortcuts.changed');
  const connection = useLive('connection.status', 'connection.changed');
  const info = useAppInfo();
  return (
    <section data-testid="screen-settings">
      <h1>{t('settings.title')}</h1>
      {settings.error ? <p role="alert">{settings.error}</p> : null}
      {settings.value ? (
        <SettingsForm
          settings={settings.value}
          shortcuts={shortcuts.value ?? []}
          connection={connection.value}
        />
      ) : (
        <p className="muted">{t('app.loading')}</p>
      )}
      {settings.value ? <HostingSection settings={settings.value} /> : null}
      {settings.value ? <VoiceSettingsSection settings={settings.value} /> : null}
      {settings.value ? <StorageSection limits={settings.value.storageLimits} /> : null}
      {info ? <BackupsSection desktop={info.host === 'electron'} /> : null}
    </section>
  );
}
