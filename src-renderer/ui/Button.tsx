import { forwardRef, type ButtonHTMLAttributes, type ReactNode } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';

type Props = ButtonHTMLAttributes<HTMLButtonElement> & {
  /** secondary (the default) for most actions, primary for the one a screen is about. */
  variant?: ButtonVariant;
  size?: 'md' | 'small';
  /** An icon before the words (lucide-react); for an icon alone use IconButton. */
  icon?: ReactNode;
  testId?: string;
};

/** Classes for a button drawn by ui/controls.css; for the few places that style a link or label as one. */
export function buttonClass(variant: ButtonVariant = 'secondary', size: 'md' | 'small' = 'md') {
  return [variant === 'secondary' ? '' : variant, size === 'small' ? 'small' : '']
    .filter(Boolean)
    .join(' ');
}

/** A button with words (and an optional icon). Never submits a form unless given type="submit". */
export const Button = forwardRef<HTMLButtonElement, Props>(function Button(
  {
    variant = 'secondary',
    size = 'md',
    icon,
    testId,
    className,
    type = 'button',
    children,
    ...rest
  },
  ref,
) {
  const classes = [buttonClass(variant, size), className].filter(Boolean).join(' ');
  return (
    <button ref={ref} type={type} className={classes || undefined} data-testid={testId} {...rest}>
      {icon}
      {children}
    </button>
  );
});
