import * as RadixMenu from '@radix-ui/react-dropdown-menu';
import type { ReactElement, ReactNode } from 'react';
import { Check } from 'lucide-react';

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

/** A titled group of choices of which one is on (a check marks it). */
export function MenuRadioGroup<V extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: V;
  options: { value: V; label: string; testId?: string }[];
  onChange(value: V): void;
}) {
  return (
    <RadixMenu.Group aria-label={label}>
      <RadixMenu.Label className="ui-menu-label">{label}</RadixMenu.Label>
      <RadixMenu.RadioGroup value={value} onValueChange={(next) => onChange(next as V)}>
        {options.map((option) => (
          <RadixMenu.RadioItem
            key={option.value}
            value={option.value}
            className="ui-menu-item ui-menu-radio"
            data-testid={option.testId}
          >
            <span className="ui-menu-check" aria-hidden="true">
              <RadixMenu.ItemIndicator>
                <Check />
              </RadixMenu.ItemIndicator>
            </span>
            {option.label}
          </RadixMenu.RadioItem>
        ))}
      </RadixMenu.RadioGroup>
    </RadixMenu.Group>
  );
}
