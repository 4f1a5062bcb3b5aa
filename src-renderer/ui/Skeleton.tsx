import { useTranslation } from 'react-i18next';

/** Grey lines where content is on its way: the shape of what comes, announced as loading. */
export function Skeleton({ lines = 3, testId }: { lines?: number; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div className="ui-skeleton" aria-busy="true" role="status" data-testid={testId}>
      <span className="ui-visually-hidden">{t('app.loading')}</span>
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="ui-skeleton-line" aria-hidden="true" />
      ))}
    </div>
  );
}
