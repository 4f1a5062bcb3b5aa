import { createKeyReleaseWatcher, releaseKeyName } from '../../src-main/platform/key-release';
import { silentLogger } from '../../src-shared/log';

describe('key release watcher', () => {
  it('maps accelerator keys to the hook key names', () => {
    expect(releaseKeyName('CommandOrControl+Alt+Shift+Space')).toBe('Space');
    expect(releaseKeyName('Ctrl+Shift+v')).toBe('V');
    expect(releaseKeyName('Alt+F9')).toBe('F9');
    expect(releaseKeyName('Ctrl+num5')).toBe('Numpad5');
    expect(releaseKeyName('Ctrl+Up')).toBe('ArrowUp');
    expect(releaseKeyName('Ctrl+Plus')).toBe('Equal');
    expect(releaseKeyName('Ctrl+MediaPlayPause')).toBeNull();
    expect(releaseKeyName('not a shortcut')).toBeNull();
  });

  it('runs the hook only while a key is held, and says why when it cannot load', async () => {
    const calls: string[] = [];
    let keyup: ((e: { keycode: number }) => void) | null = null;
    const hook = {
      uIOhook: {
        on: (_: 'keyup', l: (e: { keycode: number }) => void) => (keyup = l),
        off: () => (keyup = null),
        start: () => calls.push('start'),
        stop: () => calls.push('stop'),
      },
      UiohookKey: { Space: 57, V: 47 },
    };
    const watcher = createKeyReleaseWatcher(silentLogger, () => hook);
    if ('unavailable' in watcher) throw new Error('expected a watcher');
    const released: string[] = [];
    watcher.onceReleased('Ctrl+Alt+Space', () => released.push('space'));
    watcher.onceReleased('Ctrl+Alt+V', () => released.push('v'));
    expect(calls).toEqual(['start']);
    keyup!({ keycode: 47 });
    expect(released).toEqual(['v']);
    keyup!({ keycode: 57 });
    expect(released).toEqual(['v', 'space']);
    expect(keyup).toBeNull(); // no key is watched: the hook sees nothing more
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['start', 'stop']);

    const missing = createKeyReleaseWatcher(silentLogger, () => {
      throw new Error('no display');
    });
    expect(missing).toEqual({ unavailable: 'the key hook cannot load: no display' });
  });
});
