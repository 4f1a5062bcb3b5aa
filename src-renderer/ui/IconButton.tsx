import { forwardRef, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { Tooltip } from './Tooltip';

type Props = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'> & {
  /** The accessible name, also shown as the tooltip. */
  label: string;
  icon: ReactNode;
  shortcut?: string;
  variant?: 'secondary' | 'ghost' | 'danger' | 'primary';
  /** Shows the label beside the icon as well (wide layouts); the tooltip then only adds the shortcut. */
  withText?: boolean;
  side?: 'top' | 'right' | 'bottom' | 'left';
};

/** A button that is an icon (with the label as its accessible name and tooltip), or an icon and its label. */
export const IconButton = forwardRef<HTMLButtonElement, Props>(function IconButton(
  { label, icon, shortcut, variant = 'ghost', withText = false, side, className, ...rest },
  ref,
) {
  const classes = [variant === 'secondary' ? '' : variant, withText ? '' : 'icon', className]
    .filter(Boolean)
    .join(' ');
  return (
    <Tooltip label={label} shortcut={shortcut} side={side}>
      <button
        ref={ref}
        type="button"
        className={classes}
        aria-label={withText ? undefined : label}
        {...rest}
      >
        {icon}
        {withText ? <span>{label}</span> : null}
      </button>
    </Tooltip>
  );
});
