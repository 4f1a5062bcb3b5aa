import { useTranslation } from 'react-i18next';
import { useMediaDevices } from '../../lib/media-devices';
import { DeviceList } from '../call/DeviceList';

export default function VoiceScreen() {
  const { t } = useTranslation();
  const { devices } = useMediaDevices();
  return (
    <section data-testid="screen-voice">
      <h1>{t('voice.title')}</h1>
      <p>{t('voice.notSetUp')}</p>
      <DeviceList
        title={t('voice.microphones')}
        devices={devices.filter((d) => d.kind === 'audioinput')}
        testId="voice-microphones"
      />
    </section>
  );
}
