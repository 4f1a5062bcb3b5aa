import { useTranslation } from 'react-i18next';

export function DeviceList({
  title,
  devices,
  testId,
}: {
  title: string;
  devices: MediaDeviceInfo[];
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="device-list" data-testid={testId}>
      <h3>{title}</h3>
      {devices.length === 0 ? (
        <p className="muted">{t('call.none')}</p>
      ) : (
        <ul>
          {devices.map((d, i) => (
            <li key={`${d.kind}-${d.deviceId}-${i}`}>
              {d.label || t('call.unnamed', { n: i + 1 })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
