import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal dialog, mounted while open: the browser's own modal `<dialog>` (top layer, focus kept
 * inside, Esc closes, the rest of the page inert), so no script has to trap focus or inject the
 * styles that a CSP with `style-src 'self'` refuses. A click on the backdrop closes it too.
 */
export function Dialog({
  label,
  className,
  testId,
  initialFocus,
  onClose,
  children,
}: {
  /** The dialog's accessible name. */
  label: string;
  className?: string;
  testId?: string;
  /** A selector for the element to focus when it opens (by default the first focusable one). */
  initialFocus?: string;
  onClose(): void;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    element.showModal();
    if (initialFocus) element.querySelector<HTMLElement>(initialFocus)?.focus();
    return () => element.close();
  }, [initialFocus]);
  return (
    <dialog
      ref={dialog}
      className={['ui-dialog', className].filter(Boolean).join(' ')}
      aria-label={label}
      data-testid={testId}
      onClose={onClose}
      onClick={(event) => {
        // The dialog element itself is only hit outside its content: on the backdrop.
        if (event.target === dialog.current) onClose();
      }}
    >
      {children}
    </dialog>
  );
}
