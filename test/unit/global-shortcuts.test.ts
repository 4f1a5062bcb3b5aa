import { GlobalShortcutService } from '../../src-main/services/shortcuts/global-shortcuts';
import type { ShortcutRegistrar } from '../../src-main/platform/platform';

/** Electron's globalShortcut cannot run here; this registrar behaves like it for the service's logic. */
function registrarHolding(taken: string[]) {
  const registered = new Map<string, () => void>();
  const registrar: ShortcutRegistrar = {
    register: (accelerator, handler) => {
      if (taken.includes(accelerator) || registered.has(accelerator)) return false;
      registered.set(accelerator, handler);
      return true;
    },
    unregister: (accelerator) => void registered.delete(accelerator),
  };
  return { registrar, registered };
}

const UNBOUND = { toggleListening: '', pushToTalk: '', muteMicrophone: '' };

describe('GlobalShortcutService', () => {
  it('registers bindings and runs the handler', () => {
    const { registrar, registered } = registrarHolding([]);
    const toggle = jest.fn();
    const service = new GlobalShortcutService(registrar, { toggleWindow: toggle });
    expect(service.apply({ ...UNBOUND, toggleWindow: 'Ctrl+Alt+T' })[0]).toEqual({
      action: 'toggleWindow',
      accelerator: 'Ctrl+Alt+T',
      state: 'registered',
      reasonCode: null,
      reason: null,
    });
    registered.get('Ctrl+Alt+T')?.();
    expect(toggle).toHaveBeenCalledTimes(1);
  });

  it('reports a combination held by another application instead of dropping it', () => {
    const { registrar } = registrarHolding(['Ctrl+Alt+T']);
    const service = new GlobalShortcutService(registrar, { toggleWindow: () => undefined });
    const [status] = service.apply({ ...UNBOUND, toggleWindow: 'Ctrl+Alt+T' });
    expect(status).toMatchObject({ state: 'failed', reasonCode: 'taken' });
  });

  it('re-registers on change, releasing the old combination, and reports unbound and invalid ones', () => {
    const { registrar, registered } = registrarHolding([]);
    const changes: string[] = [];
    const service = new GlobalShortcutService(registrar, { toggleWindow: () => undefined });
    service.onChange((s) => changes.push(s[0]?.state ?? ''));
    service.apply({ ...UNBOUND, toggleWindow: 'Ctrl+Alt+T' });
    service.apply({ ...UNBOUND, toggleWindow: 'Ctrl+Alt+Y' });
    expect([...registered.keys()]).toEqual(['Ctrl+Alt+Y']);
    service.apply({ ...UNBOUND, toggleWindow: '' });
    expect(registered.size).toBe(0);
    expect(service.status()[0]?.state).toBe('unbound');
    service.apply({ ...UNBOUND, toggleWindow: 'Ctrl+Nope' });
    expect(service.status()[0]).toMatchObject({
      state: 'failed',
      reasonCode: 'invalid',
      reason: 'unknown key "Nope"',
    });
    expect(changes).toEqual(['registered', 'registered', 'unbound', 'failed']);
  });

  it('says why a platform without global shortcuts cannot register them', () => {
    const service = new GlobalShortcutService(
      { unavailable: 'browser host' },
      { toggleWindow: () => undefined },
    );
    expect(service.apply({ ...UNBOUND, toggleWindow: 'Ctrl+Alt+T' })[0]).toMatchObject({
      state: 'unsupported',
      reasonCode: 'host_unsupported',
    });
  });
});
