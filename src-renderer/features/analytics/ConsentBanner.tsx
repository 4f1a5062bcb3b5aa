/** Asks once whether usage analytics may be recorded; Settings can change the answer later. */
import { useTranslation } from 'react-i18next';
import { call, useLive } from '../../lib/api';
import type { AnalyticsConsent } from '../../../src-shared/settings';
import { Button } from '../../ui/Button';

export function ConsentBanner() {
  const { t } = useTranslation();
  const settings = useLive('settings.get', 'settings.changed').value;
  if (!settings || settings.analyticsConsent !== 'unasked') return null;
  const answer = (consent: AnalyticsConsent) =>
    void call('settings.update', { analyticsConsent: consent }).catch(() => undefined);
  return (
    <div
      className="banner consent"
      role="region"
      aria-label={t('analytics.consent.title')}
      data-testid="analytics-consent"
    >
      <p>
        <strong>{t('analytics.consent.title')}</strong> {t('analytics.consent.text')}
      </p>
      <Button testId="analytics-consent-allow" onClick={() => answer('granted')}>
        {t('analytics.consent.allow')}
      </Button>
      <Button testId="analytics-consent-deny" onClick={() => answer('denied')}>
        {t('analytics.consent.deny')}
      </Button>
    </div>
  );
}
