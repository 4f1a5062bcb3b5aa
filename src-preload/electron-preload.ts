/** The Electron preload (sandboxed, context-isolated): exposes the typed client as `window.api`. */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNEL_PREFIX, IPC_EVENT_CHANNEL } from '../src-shared/ipc/contract';
import { createApiBridge } from './client';
import type { Transport } from './bridge';

const transport: Transport = {
  invoke: (channel, input) => ipcRenderer.invoke(IPC_CHANNEL_PREFIX + channel, input),
  subscribe(listener) {
    const handler = (_event: Electron.IpcRendererEvent, name: string, payload: unknown) =>
      listener(name, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.off(IPC_EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('api', createApiBridge(transport));
