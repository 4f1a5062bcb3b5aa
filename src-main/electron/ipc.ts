/** ipcMain handlers, one per contract channel; only the app's own frames may call them. */
import { BrowserWindow, ipcMain } from 'electron';
import { IPC_CHANNEL_PREFIX, IPC_EVENT_CHANNEL, channelNames } from '../../src-shared/ipc/contract';
import type { Logger } from '../../src-shared/log';
import type { Services } from '../services/container';
import { handleIpcCall } from './ipc-call';

export function registerIpc(
  services: Pick<Services, 'dispatch' | 'events'>,
  logger: Logger,
): () => void {
  for (const channel of channelNames) {
    ipcMain.handle(IPC_CHANNEL_PREFIX + channel, (event, input: unknown) =>
      handleIpcCall(services.dispatch, logger, event.senderFrame?.url, channel, input),
    );
  }
  const unsubscribe = services.events.subscribe((name, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, name, payload);
    }
  });
  return () => {
    unsubscribe();
    for (const channel of channelNames) ipcMain.removeHandler(IPC_CHANNEL_PREFIX + channel);
  };
}
