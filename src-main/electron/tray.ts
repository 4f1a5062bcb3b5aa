import { Menu, Tray, nativeImage } from 'electron';
import type { UiText } from '../../src-shared/i18n/en';

export interface TrayActions {
  isWindowVisible(): boolean;
  toggleWindow(): void;
  showWindow(): void;
  quit(): void;
}

/** The tray icon: click toggles the window; the menu shows/hides it and quits. */
export class AppTray {
  private readonly tray: Tray;
  private text: UiText['tray'];
  private ringing = false;

  constructor(
    iconPath: string,
    text: UiText['tray'],
    private readonly actions: TrayActions,
  ) {
    this.text = text;
    this.tray = new Tray(nativeImage.createFromPath(iconPath));
    this.tray.setToolTip('Talkdesk');
    this.tray.on('click', () => actions.toggleWindow());
    this.refresh();
  }

  /** A call rings while the window is hidden: the tooltip and the menu say so. */
  setRinging(ringing: boolean): void {
    if (ringing === this.ringing) return;
    this.ringing = ringing;
    this.tray.setToolTip(ringing ? `Talkdesk: ${this.text.ringing}` : 'Talkdesk');
    this.refresh();
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
        { type: 'separator' },
        { label: this.text.quit, click: () => this.actions.quit() },
      ]),
    );
  }

  destroy(): void {
    this.tray.destroy();
  }
}
