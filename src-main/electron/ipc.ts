/** ipcMain handlers, one per contract channel; only the app's own frames may call them. */
import { BrowserWindow, ipcMain } from 'electron';
import { IPC_CHANNEL_PREFIX, IPC_EVENT_CHANNEL, channelNames } from '../../src-shared/ipc/contract';
import type { Logger } from '../../src-shared/log';
import type { Services } from '../services/container';
import { handleIpcCall } from './ipc-call';
import { limitedDispatch } from '../services/api/caller-limits';
import type { Dispatch } from '../services/api/dispatcher';

export function registerIpc(
  services: Pick<Services, 'dispatch' | 'events'>,
  logger: Logger,
): () => void {
  // One allowance per renderer (webContents), like one per bridge socket in the browser host.
  const perSender = new Map<number, Dispatch>();
  const dispatchFor = (id: number) => {
    let dispatch = perSender.get(id);
    if (!dispatch) perSender.set(id, (dispatch = limitedDispatch(services.dispatch)));
    return dispatch;
  };
  for (const channel of channelNames) {
    ipcMain.handle(IPC_CHANNEL_PREFIX + channel, (event, input: unknown) =>
      handleIpcCall(dispatchFor(event.sender.id), logger, event.senderFrame?.url, channel, input),
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
