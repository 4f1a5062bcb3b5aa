import * as RadixMenu from '@radix-ui/react-dropdown-menu';
import type { ReactElement, ReactNode } from 'react';

/**
 * A menu on a trigger button (arrow keys, type-ahead, Esc, focus back to the trigger). Not modal:
 * a modal menu locks scrolling by injecting a <style> element, which the renderer's CSP refuses.
 */
export function Menu({
  trigger,
  label,
  children,
  testId,
}: {
  trigger: ReactElement;
  label: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <RadixMenu.Root modal={false}>
      <RadixMenu.Trigger asChild>{trigger}</RadixMenu.Trigger>
      <RadixMenu.Portal>
        <RadixMenu.Content
          className="ui-menu"
          align="end"
          sideOffset={4}
          aria-label={label}
          data-testid={testId}
        >
          {children}
        </RadixMenu.Content>
      </RadixMenu.Portal>
    </RadixMenu.Root>
  );
}

export function MenuItem({
  icon,
  children,
  onSelect,
  danger = false,
  disabled = false,
  testId,
}: {
  icon?: ReactNode;
  children: ReactNode;
  onSelect(): void;
  danger?: boolean;
  disabled?: boolean;
  testId?: string;
}) {
  return (
    <RadixMenu.Item
      className={danger ? 'ui-menu-item danger' : 'ui-menu-item'}
      disabled={disabled}
      onSelect={onSelect}
      data-testid={testId}
    >
      {icon}
      {children}
    </RadixMenu.Item>
  );
}

export function MenuSeparator() {
  return <RadixMenu.Separator className="ui-menu-separator" />;
}
