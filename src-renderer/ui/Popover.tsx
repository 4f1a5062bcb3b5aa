import * as RadixPopover from '@radix-ui/react-popover';
import { useState, type ReactElement, type ReactNode } from 'react';

/**
 * A panel opened by a trigger button (Radix Popover): focus moves into it, Esc or a click outside
 * closes it and focus returns to the trigger. Not modal: a modal popover locks scrolling by
 * injecting a <style> element, which the renderer's CSP refuses.
 *
 * While closed its content stays in the page, hidden (as the <details> it replaced kept it), so
 * what it says can be read without opening it; open, the same content moves into the panel.
 */
export function Popover({
  trigger,
  label,
  children,
  className = '',
  side = 'top',
  align = 'start',
  testId,
  keepContent = true,
}: {
  trigger: ReactElement;
  label: string;
  children: ReactNode;
  className?: string;
  side?: 'top' | 'right' | 'bottom' | 'left';
  align?: 'start' | 'center' | 'end';
  testId?: string;
  /** Keep the content in the page, hidden, while closed (false: it exists only while open). */
  keepContent?: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <RadixPopover.Root open={open} onOpenChange={setOpen}>
      <RadixPopover.Trigger asChild>{trigger}</RadixPopover.Trigger>
      {open || !keepContent ? null : <div hidden>{children}</div>}
      <RadixPopover.Portal>
        <RadixPopover.Content
          className={`ui-popover ${className}`}
          side={side}
          align={align}
          sideOffset={6}
          collisionPadding={8}
          aria-label={label}
          data-testid={testId}
        >
          {children}
        </RadixPopover.Content>
      </RadixPopover.Portal>
    </RadixPopover.Root>
  );
}
