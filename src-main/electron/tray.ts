import path from 'node:path';
import { Menu, Tray, nativeImage } from 'electron';
import type { UiText } from '../../src-shared/i18n/en';
import type { VoiceIndicatorState } from '../../src-shared/ipc/voice-types';

export interface TrayActions {
  isWindowVisible(): boolean;
  toggleWindow(): void;
  showWindow(): void;
  toggleListening(): void;
  /** Do not disturb: whether it is on, and turning it on or off. */
  doNotDisturb(): boolean;
  setDoNotDisturb(on: boolean): void;
  quit(): void;
}

/** The tray icon: click toggles the window; the menu shows/hides it and quits. */
export class AppTray {
  private readonly tray: Tray;
  private text: UiText['tray'];
  private ringing = false;
  private unread = 0;
  private voice: VoiceIndicatorState = 'off';

  constructor(
    private readonly iconPath: string,
    text: UiText['tray'],
    private readonly actions: TrayActions,
  ) {
    this.text = text;
    this.tray = new Tray(nativeImage.createFromPath(iconPath));
    this.tray.setToolTip(this.text.name);
    this.tray.on('click', () => actions.toggleWindow());
    this.refresh();
  }

  /** A call rings while the window is hidden: the tooltip and the menu say so. */
  setRinging(ringing: boolean): void {
    if (ringing === this.ringing) return;
    this.ringing = ringing;
    this.tray.setToolTip(this.tooltip());
    this.refresh();
  }

  /** Voice control's state: the icon shows idle, listening (blue) and heard (green). */
  setVoiceState(state: VoiceIndicatorState): void {
    if (state === this.voice) return;
    this.voice = state;
    const icon =
      state === 'listening' || state === 'heard'
        ? path.join(path.dirname(this.iconPath), `tray-${state}.png`)
        : this.iconPath;
    this.tray.setImage(nativeImage.createFromPath(icon));
    this.tray.setToolTip(this.tooltip());
    this.refresh();
  }

  /** Unread messages of all rooms: in the tooltip (and the dock/launcher badge, from main). */
  setUnread(unread: number): void {
    if (unread === this.unread) return;
    this.unread = unread;
    this.tray.setToolTip(this.tooltip());
  }

  private tooltip(): string {
    if (this.ringing) return `${this.text.name}: ${this.text.ringing}`;
    if (this.unread > 0)
      return `${this.text.name}: ${this.text.unread.replace('{{count}}', String(this.unread))}`;
    if (this.voice === 'off') return this.text.name;
    return `${this.text.name}: ${this.text.voice[this.voice]}`;
  }

  setText(text: UiText['tray']): void {
    this.text = text;
    this.refresh();
  }

  /** Rebuilds the menu (the show/hide label follows the window). */
  refresh(): void {
    const visible = this.actions.isWindowVisible();
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        ...(this.ringing
          ? [{ label: this.text.ringing, click: () => this.actions.showWindow() }]
          : []),
        {
          label: visible ? this.text.hide : this.text.show,
          click: () => this.actions.toggleWindow(),
        },
        {
          label: this.voice === 'off' ? this.text.startListening : this.text.stopListening,
          click: () => this.actions.toggleListening(),
        },
        {
          label: this.text.dnd,
          type: 'checkbox',
          checked: this.actions.doNotDisturb(),
          click: (item) => this.actions.setDoNotDisturb(item.checked),
        },
        { type: 'separator' },
        { label: this.text.quit, click: () => this.actions.quit() },
      ]),
    );
  }

  destroy(): void {
    this.tray.destroy();
  }
}
