/**
 * Hold-to-talk needs the moment a key is released, which Electron's globalShortcut never
 * reports. uiohook-napi (libuiohook; prebuilt N-API binaries in the package, nothing to download
 * or compile) sees key releases system-wide. The hook runs only while a push-to-talk key is
 * held: started at the shortcut's press, stopped at the release, and it compares one key code,
 * recording nothing. Where it cannot load or start (no X display, Wayland without XWayland,
 * macOS without the accessibility permission) push-to-talk falls back to press-to-listen.
 */
import { parseAccelerator } from '../../src-shared/accelerator';
import type { Logger } from '../../src-shared/log';

export interface KeyReleaseWatcher {
  /**
   * Calls `onRelease` once, when the key of `accelerator` is next released (or after
   * `maxHoldMs`, so that a missed release never leaves the microphone open). Returns a cancel.
   */
  onceReleased(accelerator: string, onRelease: () => void, maxHoldMs?: number): () => void;
  stop(): void;
}

/** uiohook key names for Electron accelerator keys (letters and digits map to themselves). */
const KEY_NAMES: Record<string, string> = {
  Space: 'Space',
  Tab: 'Tab',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Insert: 'Insert',
  Return: 'Enter',
  Enter: 'Enter',
  Up: 'ArrowUp',
  Down: 'ArrowDown',
  Left: 'ArrowLeft',
  Right: 'ArrowRight',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  Escape: 'Escape',
  Esc: 'Escape',
  Capslock: 'CapsLock',
  Numlock: 'NumLock',
  Scrolllock: 'ScrollLock',
  PrintScreen: 'PrintScreen',
  Plus: 'Equal',
  ';': 'Semicolon',
  '=': 'Equal',
  ',': 'Comma',
  '-': 'Minus',
  '.': 'Period',
  '/': 'Slash',
  '`': 'Backquote',
  '[': 'BracketLeft',
  '\\': 'Backslash',
  ']': 'BracketRight',
  "'": 'Quote',
  numdec: 'NumpadDecimal',
  numadd: 'NumpadAdd',
  numsub: 'NumpadSubtract',
  nummult: 'NumpadMultiply',
  numdiv: 'NumpadDivide',
};

/** The uiohook key name of an accelerator's key, or null when it has none. */
export function releaseKeyName(accelerator: string): string | null {
  const parsed = parseAccelerator(accelerator);
  if (!parsed.ok) return null;
  const key = parsed.value.key;
  if (/^[A-Z0-9]$/.test(key) || /^F\d+$/.test(key)) return key;
  if (/^num[0-9]$/.test(key)) return `Numpad${key.slice(3)}`;
  return KEY_NAMES[key] ?? null;
}

interface Uiohook {
  uIOhook: {
    on(event: 'keyup', listener: (e: { keycode: number }) => void): void;
    off(event: 'keyup', listener: (e: { keycode: number }) => void): void;
    start(): void;
    stop(): void;
  };
  UiohookKey: Record<string, number>;
}

/** The watcher, or why this system has none. `load` is for tests. */
export function createKeyReleaseWatcher(
  logger: Logger,
  // Loaded only here, when a desktop app starts: a native module the browser host never needs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  load: () => Uiohook = () => require('uiohook-napi') as Uiohook,
): KeyReleaseWatcher | { unavailable: string } {
  let hook: Uiohook;
  try {
    hook = load();
  } catch (error) {
    return { unavailable: `the key hook cannot load: ${(error as Error).message}` };
  }
  const waiting = new Map<number, Set<() => void>>();
  let running = false;
  const listener = (event: { keycode: number }) => {
    const callbacks = waiting.get(event.keycode);
    if (!callbacks) return;
    waiting.delete(event.keycode);
    for (const callback of callbacks) callback();
  };
  const stopIfIdle = () => {
    if (!running || waiting.size > 0) return;
    running = false;
    hook.uIOhook.off('keyup', listener);
    // Not from inside the hook's own event: stop it once that has returned.
    setImmediate(() => {
      if (running) return;
      try {
        hook.uIOhook.stop();
      } catch (error) {
        logger.warn('key hook did not stop', { error: (error as Error).message });
      }
    });
  };
  return {
    onceReleased(accelerator, onRelease, maxHoldMs = 30_000) {
      const name = releaseKeyName(accelerator);
      const code = name ? hook.UiohookKey[name] : undefined;
      let done = false;
      const end = (fire: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        const set = code === undefined ? undefined : waiting.get(code);
        set?.delete(finish);
        if (set?.size === 0) waiting.delete(code!);
        stopIfIdle();
        if (fire) onRelease();
      };
      const finish = () => end(true);
      const timer = setTimeout(finish, maxHoldMs);
      if (code === undefined) return () => end(false); // no key code: the time limit ends it
      const set = waiting.get(code) ?? new Set();
      set.add(finish);
      waiting.set(code, set);
      if (!running) {
        try {
          hook.uIOhook.on('keyup', listener);
          hook.uIOhook.start();
          running = true;
        } catch (error) {
          hook.uIOhook.off('keyup', listener);
          logger.warn('key hook cannot start; push-to-talk ends by time', {
            error: (error as Error).message,
          });
        }
      }
      return () => end(false);
    },
    stop() {
      waiting.clear();
      stopIfIdle();
    },
  };
}
