import type { ReactNode } from 'react';

/** What an empty place says: what belongs here and what to do to get it. */
export function EmptyState({
  icon,
  title,
  children,
  testId,
}: {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="ui-empty" data-testid={testId}>
      {icon ? <div className="ui-empty-icon">{icon}</div> : null}
      <p className="ui-empty-title">{title}</p>
      {children ? <div className="ui-empty-text">{children}</div> : null}
    </div>
  );
}
