import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function DeviceList({
  title,
  icon,
  devices,
  testId,
}: {
  title: string;
  icon: ReactNode;
  devices: MediaDeviceInfo[];
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="device-list" data-testid={testId}>
      <h3>
        {icon}
        {title}
      </h3>
      {devices.length === 0 ? (
        <p className="muted">{t('call.none')}</p>
      ) : (
        <ul>
          {devices.map((d, i) => (
            // A device's name is the system's, not ours to translate.
            <li key={`${d.kind}-${d.deviceId}-${i}`} translate={d.label ? 'no' : undefined}>
              {d.label || t('call.unnamed', { n: i + 1 })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
