import { useTranslation } from 'react-i18next';
import { useLive } from '../lib/api';

/** The server connection in a word, from the sync side's real state (not navigator.onLine). */
export function ConnectionBadge() {
  const { t } = useTranslation();
  const { value } = useLive('connection.status', 'connection.changed');
  if (!value) return null;
  return (
    <div
      className={`connection-badge state-${value.state}`}
      data-testid="connection-state"
      data-state={value.state}
    >
      <span className="dot" aria-hidden="true" />
      {t(`connection.${value.state}`)}
    </div>
  );
}

/** Shown only while the app cannot reach its server. */
export function OfflineBanner() {
  const { t } = useTranslation();
  const { value } = useLive('connection.status', 'connection.changed');
  if (!value || value.state === 'online') return null;
  return (
    <div className="offline-banner" role="status" data-testid="offline-indicator">
      {t('connection.offlineBanner')}
    </div>
  );
}
