/**
 * Electron accelerator strings ("CommandOrControl+Shift+K"), parsed and normalised so that
 * settings can be validated and conflicts found before anything is handed to globalShortcut.
 */

const MODIFIERS: Record<string, string> = {
  command: 'Command',
  cmd: 'Command',
  control: 'Control',
  ctrl: 'Control',
  commandorcontrol: 'CommandOrControl',
  cmdorctrl: 'CommandOrControl',
  alt: 'Alt',
  option: 'Alt',
  altgr: 'AltGr',
  shift: 'Shift',
  super: 'Super',
  meta: 'Super',
};

const NAMED_KEYS = [
  'Plus',
  'Space',
  'Tab',
  'Capslock',
  'Numlock',
  'Scrolllock',
  'Backspace',
  'Delete',
  'Insert',
  'Return',
  'Enter',
  'Up',
  'Down',
  'Left',
  'Right',
  'Home',
  'End',
  'PageUp',
  'PageDown',
  'Escape',
  'Esc',
  'VolumeUp',
  'VolumeDown',
  'VolumeMute',
  'MediaNextTrack',
  'MediaPreviousTrack',
  'MediaStop',
  'MediaPlayPause',
  'PrintScreen',
  'numdec',
  'numadd',
  'numsub',
  'nummult',
  'numdiv',
];
const NAMED_BY_LOWER = new Map(NAMED_KEYS.map((k) => [k.toLowerCase(), k]));
const PUNCTUATION = new Set([...')!@#$%^&*(:;<=>?,-_./~`{]|[}\\\'"']);
/** Keys that make sense as a global shortcut without any modifier. */
const STANDALONE = /^(F([1-9]|1\d|2[0-4])|Media\w+|Volume\w+|PrintScreen)$/;

export interface ParsedAccelerator {
  modifiers: string[];
  key: string;
  /** Canonical form: modifiers in a fixed order, then the key. */
  normalized: string;
}

export type AcceleratorResult =
  { ok: true; value: ParsedAccelerator } | { ok: false; reason: string };

const MODIFIER_ORDER = ['CommandOrControl', 'Command', 'Control', 'Alt', 'AltGr', 'Shift', 'Super'];

function normalizeKey(raw: string): string | null {
  if (/^[a-z0-9]$/i.test(raw)) return raw.toUpperCase();
  if (/^f([1-9]|1\d|2[0-4])$/i.test(raw)) return raw.toUpperCase();
  if (/^num[0-9]$/i.test(raw)) return raw.toLowerCase();
  if (PUNCTUATION.has(raw)) return raw;
  return NAMED_BY_LOWER.get(raw.toLowerCase()) ?? null;
}

/** Parses an accelerator meant for a global shortcut. */
export function parseAccelerator(input: string): AcceleratorResult {
  const text = input.trim();
  if (!text) return { ok: false, reason: 'empty shortcut' };
  // "+" itself is spelt "Plus", so splitting on "+" is unambiguous.
  const parts = text.split('+').map((p) => p.trim());
  if (parts.some((p) => p === '')) return { ok: false, reason: `"${input}" has an empty part` };
  const modifiers = new Set<string>();
  let key: string | null = null;
  for (const part of parts) {
    const modifier = MODIFIERS[part.toLowerCase()];
    if (modifier) {
      if (key) return { ok: false, reason: `modifier "${part}" comes after the key` };
      modifiers.add(modifier);
      continue;
    }
    if (key) return { ok: false, reason: `more than one key ("${key}" and "${part}")` };
    key = normalizeKey(part);
    if (!key) return { ok: false, reason: `unknown key "${part}"` };
  }
  if (!key) return { ok: false, reason: 'no key, only modifiers' };
  if (modifiers.size === 0 && !STANDALONE.test(key)) {
    return { ok: false, reason: `"${key}" needs a modifier such as Ctrl or Alt to be global` };
  }
  const ordered = MODIFIER_ORDER.filter((m) => modifiers.has(m));
  return { ok: true, value: { modifiers: ordered, key, normalized: [...ordered, key].join('+') } };
}

/** Groups of actions that are bound to the same key combination. */
export function findAcceleratorConflicts(bindings: Record<string, string>): string[][] {
  const byCombo = new Map<string, string[]>();
  for (const [action, accelerator] of Object.entries(bindings)) {
    if (!accelerator) continue;
    const parsed = parseAccelerator(accelerator);
    if (!parsed.ok) continue;
    const list = byCombo.get(parsed.value.normalized) ?? [];
    list.push(action);
    byCombo.set(parsed.value.normalized, list);
  }
  return [...byCombo.values()].filter((actions) => actions.length > 1);
}

/** The keys of a keyboard event that matter for an accelerator (a DOM KeyboardEvent has these). */
export interface PressedKey {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const CODE_KEYS: Record<string, string> = {
  Space: 'Space',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  Insert: 'Insert',
  Delete: 'Delete',
  Backspace: 'Backspace',
  Enter: 'Enter',
  PrintScreen: 'PrintScreen',
};

/**
 * The accelerator a key press records, as Settings shows it ("CommandOrControl+Alt+Shift+T"), or
 * null while only modifiers are down. Letters and digits come from the physical key (`code`), so
 * the layout (Russian, say) and Shift do not change what is recorded; Ctrl (Cmd on macOS) is
 * written as CommandOrControl, the same on every system.
 */
export function acceleratorFromKey(event: PressedKey, mac: boolean): string | null {
  let key: string | null = null;
  const letter = /^Key([A-Z])$/.exec(event.code);
  const digit = /^(?:Digit|Numpad)([0-9])$/.exec(event.code);
  if (letter) key = letter[1]!;
  else if (digit) key = event.code.startsWith('Numpad') ? `num${digit[1]}` : digit[1]!;
  else if (/^F([1-9]|1\d|2[0-4])$/.test(event.code)) key = event.code;
  else if (CODE_KEYS[event.code]) key = CODE_KEYS[event.code]!;
  else if (event.key.length === 1 && PUNCTUATION.has(event.key)) key = event.key;
  if (!key) return null;
  const primary = mac ? event.metaKey : event.ctrlKey;
  const modifiers = [
    primary ? 'CommandOrControl' : null,
    mac && event.ctrlKey ? 'Control' : null,
    event.altKey ? 'Alt' : null,
    event.shiftKey ? 'Shift' : null,
    !mac && event.metaKey ? 'Super' : null,
  ].filter((m): m is string => m !== null);
  return [...modifiers, key].join('+');
}

/**
 * An accelerator as people read it on their system: "Ctrl+Alt+Shift+T" on Linux and Windows,
 * "Cmd+Option+Shift+T" on macOS, instead of Electron's "CommandOrControl+Alt+Shift+T". For
 * showing only: what is stored (and typed, which parseAccelerator accepts in either form) stays
 * an accelerator.
 */
export function displayAccelerator(accelerator: string, mac: boolean): string {
  if (!accelerator) return '';
  const names: Record<string, string> = mac
    ? {
        commandorcontrol: 'Cmd',
        cmdorctrl: 'Cmd',
        command: 'Cmd',
        cmd: 'Cmd',
        control: 'Ctrl',
        ctrl: 'Ctrl',
        alt: 'Option',
        option: 'Option',
        super: 'Cmd',
        meta: 'Cmd',
      }
    : {
        commandorcontrol: 'Ctrl',
        cmdorctrl: 'Ctrl',
        command: 'Super',
        cmd: 'Super',
        control: 'Ctrl',
        ctrl: 'Ctrl',
        alt: 'Alt',
        option: 'Alt',
        super: 'Super',
        meta: 'Super',
      };
  return accelerator
    .split('+')
    .map((part) => names[part.toLowerCase()] ?? part)
    .join('+');
}
