import type { ReactNode } from 'react';

/** A small count or state beside something: unread messages, "Live", a status. */
export function Badge({
  tone = 'accent',
  label,
  testId,
  className,
  children,
}: {
  tone?: 'accent' | 'neutral' | 'warn' | 'good' | 'live';
  /** What the badge means, read out instead of its bare text ("3 unread"). */
  label?: string;
  testId?: string;
  className?: string;
  children: ReactNode;
}) {
  const classes = ['badge', tone === 'accent' ? '' : tone, className].filter(Boolean).join(' ');
  return (
    <span
      className={classes}
      aria-label={label}
      role={label ? 'img' : undefined}
      data-testid={testId}
    >
      {children}
    </span>
  );
}
