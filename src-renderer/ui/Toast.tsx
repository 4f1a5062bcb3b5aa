import { X } from 'lucide-react';
import { useEffect, useSyncExternalStore } from 'react';
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

function ToastItem({ item }: { item: Toast }) {
  const { t } = useTranslation();
  useEffect(() => {
    const timer = setTimeout(
      () => dismiss(item.id),
      item.durationMs ?? (item.action ? 8000 : 4000),
    );
    return () => clearTimeout(timer);
  }, [item]);
  return (
    <li className={`ui-toast tone-${item.tone ?? 'info'}`} data-testid="toast">
      <span className="ui-toast-text">{item.text}</span>
      {item.action ? (
        <button
          type="button"
          className="small ghost ui-toast-action"
          data-testid={item.action.testId}
          onClick={() => {
            dismiss(item.id);
            void item.action!.run();
          }}
        >
          {item.action.label}
        </button>
      ) : null}
      <button
        type="button"
        className="small ghost icon"
        aria-label={t('ui.dismiss')}
        onClick={() => dismiss(item.id)}
      >
        <X aria-hidden="true" />
      </button>
    </li>
  );
}

/** Where toasts appear: bottom centre, announced politely to screen readers. */
export function Toaster() {
  const list = useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => toasts,
  );
  return (
    <ol className="ui-toaster" role="status" aria-live="polite">
      {list.map((item) => (
        <ToastItem key={item.id} item={item} />
      ))}
    </ol>
  );
}
