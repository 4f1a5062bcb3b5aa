// What the app's pages expose, for callbacks that run inside them (page.evaluate).
import type { ApiBridge } from '../../src-preload/bridge';

declare global {
  interface Window {
    api: ApiBridge;
  }
}
