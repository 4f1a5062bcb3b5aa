/**
 * Registers the user's global shortcuts with the platform and keeps a status per action, so that
 * a combination that cannot be registered is shown in Settings instead of silently dropped.
 */
import { parseAccelerator } from '../../../src-shared/accelerator';
import { ShortcutAction, type ShortcutBindings } from '../../../src-shared/settings';
import type { ShortcutStatus } from '../../../src-shared/ipc/types';
import type { Platform } from '../../platform/platform';

export type ShortcutHandlers = Partial<Record<ShortcutAction, () => void>>;

export class GlobalShortcutService {
  private registered: string[] = [];
  private statuses: ShortcutStatus[] = [];
  private readonly listeners = new Set<(statuses: ShortcutStatus[]) => void>();

  constructor(
    private readonly registrar: Platform['globalShortcuts'],
    private readonly handlers: ShortcutHandlers,
  ) {}

  /** Replaces every registration with `bindings`; returns the status of each action. */
  apply(bindings: ShortcutBindings): ShortcutStatus[] {
    this.unregisterAll();
    const registrar = this.registrar;
    const claimedBy = new Map<string, ShortcutAction>();
    this.statuses = ShortcutAction.options.map((action): ShortcutStatus => {
      const accelerator = bindings[action];
      const status = (
        state: ShortcutStatus['state'],
        reasonCode: ShortcutStatus['reasonCode'] = null,
        reason: string | null = null,
      ): ShortcutStatus => ({ action, accelerator, state, reasonCode, reason });
      if (!accelerator) return status('unbound');
      if ('unavailable' in registrar)
        return status('unsupported', 'host_unsupported', registrar.unavailable);
      const parsed = parseAccelerator(accelerator);
      if (!parsed.ok) return status('failed', 'invalid', parsed.reason);
      const handler = this.handlers[action];
      if (!handler)
        return status('unsupported', 'no_action', 'this host has nothing to do for this action');
      const owner = claimedBy.get(parsed.value.normalized);
      if (owner) return status('failed', 'duplicate', `same combination as "${owner}"`);
      if (!registrar.register(accelerator, handler)) {
        return status(
          'failed',
          'taken',
          'the system or another application already uses this combination',
        );
      }
      claimedBy.set(parsed.value.normalized, action);
      this.registered.push(accelerator);
      return status('registered');
    });
    for (const listener of this.listeners) listener(this.status());
    return this.status();
  }

  status(): ShortcutStatus[] {
    return this.statuses.map((s) => ({ ...s }));
  }

  onChange(listener: (statuses: ShortcutStatus[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  unregisterAll(): void {
    const registrar = this.registrar;
    if (!('unavailable' in registrar))
      for (const accelerator of this.registered) registrar.unregister(accelerator);
    this.registered = [];
  }
}
