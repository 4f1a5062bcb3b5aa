import { findAcceleratorConflicts, parseAccelerator } from '../../src-shared/accelerator';

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
