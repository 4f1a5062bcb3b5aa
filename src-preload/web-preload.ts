/** Loaded by the browser host before the app: gives the page the same `window.api` as Electron. */
import { createApiBridge } from './client';
import { createWsTransport } from './ws-transport';

Object.defineProperty(window, 'api', {
  value: Object.freeze(createApiBridge(createWsTransport())),
  writable: false,
});
