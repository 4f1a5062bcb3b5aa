import {
  acceleratorFromKey,
  displayAccelerator,
  findAcceleratorConflicts,
  parseAccelerator,
} from '../../src-shared/accelerator';

describe('parseAccelerator', () => {
  it('normalises aliases, case and modifier order', () => {
    const parsed = parseAccelerator('shift+cmdorctrl+alt+t');
    expect(parsed).toEqual({
      ok: true,
      value: {
        modifiers: ['CommandOrControl', 'Alt', 'Shift'],
        key: 'T',
        normalized: 'CommandOrControl+Alt+Shift+T',
      },
    });
    expect(parseAccelerator('Ctrl+Option+Space')).toMatchObject({
      ok: true,
      value: { normalized: 'Control+Alt+Space' },
    });
    expect(parseAccelerator('Meta+f12')).toMatchObject({
      ok: true,
      value: { normalized: 'Super+F12' },
    });
  });

  it('allows function and media keys alone but not letters', () => {
    expect(parseAccelerator('F9').ok).toBe(true);
    expect(parseAccelerator('MediaPlayPause').ok).toBe(true);
    expect(parseAccelerator('K')).toEqual({
      ok: false,
      reason: expect.stringContaining('needs a modifier'),
    });
  });

  it.each([
    ['', 'empty'],
    ['Ctrl+', 'empty part'],
    ['Ctrl+Shift', 'only modifiers'],
    ['Ctrl+A+B', 'more than one key'],
    ['A+Ctrl', 'comes after the key'],
    ['Ctrl+Banana', 'unknown key'],
    ['Ctrl+F25', 'unknown key'],
  ])('rejects %j (%s)', (input, reason) => {
    const parsed = parseAccelerator(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
});

describe('findAcceleratorConflicts', () => {
  it('groups actions bound to the same combination, however spelt', () => {
    expect(
      findAcceleratorConflicts({
        a: 'Ctrl+Shift+M',
        b: 'shift+control+m',
        c: 'Ctrl+M',
        d: '',
        e: 'Ctrl+Shift+M',
      }),
    ).toEqual([['a', 'b', 'e']]);
  });
});

describe('acceleratorFromKey (recording a shortcut by pressing it)', () => {
  const press = (code: string, key: string, mods: Partial<Record<string, boolean>> = {}) => ({
    code,
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...mods,
  });
  it('writes the physical key with its modifiers, as Settings stores it', () => {
    expect(
      acceleratorFromKey(
        press('KeyT', 'T', { ctrlKey: true, altKey: true, shiftKey: true }),
        false,
      ),
    ).toBe('CommandOrControl+Alt+Shift+T');
    // A Russian layout gives «е» for the same key: still T.
    expect(acceleratorFromKey(press('KeyT', 'е', { ctrlKey: true }), false)).toBe(
      'CommandOrControl+T',
    );
    // Cmd on macOS is the same CommandOrControl; Ctrl there is Control.
    expect(acceleratorFromKey(press('KeyK', 'k', { metaKey: true }), true)).toBe(
      'CommandOrControl+K',
    );
    expect(acceleratorFromKey(press('F9', 'F9', { altKey: true }), false)).toBe('Alt+F9');
    expect(acceleratorFromKey(press('Space', ' ', { ctrlKey: true }), false)).toBe(
      'CommandOrControl+Space',
    );
    // Only modifiers so far: nothing to record yet.
    expect(acceleratorFromKey(press('ShiftLeft', 'Shift', { shiftKey: true }), false)).toBeNull();
    // What it records parses as a valid accelerator.
    const recorded = acceleratorFromKey(
      press('Digit5', '%', { ctrlKey: true, shiftKey: true }),
      false,
    )!;
    expect(parseAccelerator(recorded)).toMatchObject({ ok: true });
  });
});

describe('displayAccelerator (what the shortcut field shows)', () => {
  it("writes the system's own names, not Electron's", () => {
    expect(displayAccelerator('CommandOrControl+Alt+Shift+T', false)).toBe('Ctrl+Alt+Shift+T');
    expect(displayAccelerator('CommandOrControl+Alt+Shift+T', true)).toBe('Cmd+Option+Shift+T');
    expect(displayAccelerator('CmdOrCtrl+Space', false)).toBe('Ctrl+Space');
    expect(displayAccelerator('Control+Super+K', false)).toBe('Ctrl+Super+K');
    expect(displayAccelerator('Alt+F9', false)).toBe('Alt+F9');
    expect(displayAccelerator('', false)).toBe('');
  });

  it('shows what is itself a valid shortcut, should someone type it as shown', () => {
    for (const accelerator of ['CommandOrControl+Alt+Shift+T', 'Alt+F9', 'Control+Shift+Space']) {
      for (const mac of [false, true])
        expect(parseAccelerator(displayAccelerator(accelerator, mac))).toMatchObject({ ok: true });
    }
  });
});
