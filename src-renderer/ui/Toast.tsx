import * as RadixToast from '@radix-ui/react-toast';
import { X } from 'lucide-react';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

/** A short message about finished work, optionally with one action (Undo, Open…). */
export interface ToastInput {
  text: string;
  action?: { label: string; run(): void | Promise<void>; testId?: string };
  /** How long it stays, in ms; one with an action stays longer. */
  durationMs?: number;
  tone?: 'info' | 'error';
}
interface Toast extends ToastInput {
  id: number;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

/** Shows a toast; returns a function that dismisses it. */
export function toast(input: ToastInput): () => void {
  const id = nextId++;
  toasts = [...toasts.slice(-2), { ...input, id }];
  emit();
  return () => dismiss(id);
}
function dismiss(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

/**
 * One toast (Radix Toast: announced to screen readers, paused while hovered or focused, swiped
 * or Esc to close, F8 reaches the list from anywhere).
 */
function ToastItem({ item }: { item: Toast }) {
  const { t } = useTranslation();
  const tone = item.tone ?? 'info';
  return (
    <RadixToast.Root
      className={`ui-toast tone-${tone}`}
      data-testid="toast"
      type={tone === 'error' ? 'foreground' : 'background'}
      duration={item.durationMs ?? (item.action ? 8000 : 4000)}
      onOpenChange={(open) => {
        if (!open) dismiss(item.id);
      }}
    >
      <RadixToast.Description className="ui-toast-text">{item.text}</RadixToast.Description>
      {item.action ? (
        <RadixToast.Action asChild altText={item.action.label}>
          <button
            type="button"
            className="small ghost ui-toast-action"
            data-testid={item.action.testId}
            onClick={() => void item.action!.run()}
          >
            {item.action.label}
          </button>
        </RadixToast.Action>
      ) : null}
      <RadixToast.Close asChild>
        <button type="button" className="small ghost icon" aria-label={t('ui.dismiss')}>
          <X aria-hidden="true" />
        </button>
      </RadixToast.Close>
    </RadixToast.Root>
  );
}

/** Where toasts appear: bottom centre. */
export function Toaster() {
  const { t } = useTranslation();
  const list = useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => toasts,
  );
  return (
    <RadixToast.Provider label={t('ui.notification')} swipeDirection="down">
      {list.map((item) => (
        <ToastItem key={item.id} item={item} />
      ))}
      <RadixToast.Viewport className="ui-toaster" label={t('ui.notifications')} />
    </RadixToast.Provider>
  );
}
