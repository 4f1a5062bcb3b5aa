import { useTranslation } from 'react-i18next';

/**
 * What went wrong in words first; the technical text (a system error, a validation message) only
 * behind "Details", for whoever looks into it.
 */
export function ErrorDetails({ summary, detail }: { summary: string; detail: string | null }) {
  const { t } = useTranslation();
  return (
    <>
      {summary}
      {detail && detail !== summary ? (
        <details className="ui-error-details">
          <summary>{t('errors.details')}</summary>
          <code>{detail}</code>
        </details>
      ) : null}
    </>
  );
}
