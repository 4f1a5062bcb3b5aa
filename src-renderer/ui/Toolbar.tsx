import type { KeyboardEvent, ReactNode } from 'react';

/**
 * A row of buttons that acts as one (role="toolbar"): the arrow keys move between its buttons,
 * Home and End go to the first and last, as WAI-ARIA's toolbar pattern has it.
 */
export function Toolbar({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -Infinity, End: Infinity }[event.key];
    if (step === undefined) return;
    const buttons = [
      ...event.currentTarget.querySelectorAll<HTMLButtonElement>('button:not(:disabled)'),
    ];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0 || buttons.length === 0) return;
    event.preventDefault();
    const next = Number.isFinite(step)
      ? (at + step + buttons.length) % buttons.length
      : step < 0
        ? 0
        : buttons.length - 1;
    buttons[next]!.focus();
  };
  return (
    <div className={className} role="toolbar" aria-label={label} onKeyDown={onKeyDown}>
      {children}
    </div>
  );
}
