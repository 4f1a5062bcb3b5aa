import { useTranslation } from 'react-i18next';

export default function AnalyticsScreen() {
  const { t } = useTranslation();
  return (
    <section data-testid="screen-analytics">
      <h1>{t('analytics.title')}</h1>
      <p className="muted">{t('analytics.empty')}</p>
    </section>
  );
}
