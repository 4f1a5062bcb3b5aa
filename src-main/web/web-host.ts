/**
 * The browser host: the same services as the Electron shell, behind a WebSocket bridge, with the
 * built renderer served on 127.0.0.1. Development in a plain Chromium and the e2e tests use it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BRIDGE_PATH } from '../../src-shared/ipc/bridge-frames';
import { rendererCsp } from '../../src-shared/csp';
import type { CallerLimits } from '../services/api/caller-limits';
import type { Logger } from '../../src-shared/log';
import type { Platform } from '../platform/platform';
import { startServices, type Services } from '../services/container';
import { createWebBridge } from './bridge';
import { createStaticHandler } from './static-files';
import { recordingFileFor } from '../services/recordings/recording-service';

export interface WebHostOptions {
  port: number;
  dataDir: string;
  serverUrl: string | null;
  rendererDir: string;
  webPreloadFile: string;
  platform: Platform;
  logger: Logger;
  /** Calls per second and burst per page (defaults: DEFAULT_CALLER_LIMITS). */
  callerLimits?: CallerLimits;
}

export interface RunningWebHost {
  readonly url: string;
  readonly services: Services;
  close(): Promise<void>;
}

export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  const { logger } = options;
  const services = await startServices({
    dataDir: options.dataDir,
    platform: options.platform,
    logger,
    host: 'web',
    serverUrlOverride: options.serverUrl,
  });

  let origins: string[] = [];
  let serveStatic: ReturnType<typeof createStaticHandler> | null = null;
  const server = http.createServer((req, res) => {
    if (serveStatic) serveStatic(req, res);
    else res.writeHead(503, { 'Retry-After': '1' }).end('starting');
  });
  const bridge = createWebBridge(
    services,
    () => origins,
    logger.child({ component: 'bridge' }),
    options.callerLimits,
  );
  server.on('upgrade', (req, socket, head) => bridge.handleUpgrade(req, socket, head));

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Loopback only: the bridge gives full access to this user's data.
      server.listen(options.port, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await services.stop();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  origins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  const csp = rendererCsp([
    `ws://127.0.0.1:${port}${BRIDGE_PATH}`,
    `ws://localhost:${port}${BRIDGE_PATH}`,
  ]);
  serveStatic = createStaticHandler({
    rendererDir: options.rendererDir,
    webPreloadFile: options.webPreloadFile,
    csp,
    extraFile: (urlPath) =>
      recordingFileFor(services.recordings, urlPath) ?? services.voiceModels.fileFor(urlPath),
  });
  const url = `http://127.0.0.1:${port}/`;
  logger.info('browser host listening', { url, dataDir: services.info.dataDir });

  let closing: Promise<void> | null = null;
  return {
    url,
    services,
    close() {
      closing ??= (async () => {
        bridge.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await services.stop();
      })();
      return closing;
    },
  };
}
