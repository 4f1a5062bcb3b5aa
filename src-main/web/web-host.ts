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
import { createLaunchSecret, type LaunchSecret } from './launch-secret';
import { createStaticHandler } from './static-files';
import { handleModelUpload } from './model-upload';
import { MODEL_UPLOAD_PATH } from '../../src-shared/ipc/model-upload';
import { recordingFileFor } from '../services/recordings/recording-service';
import { mediaFileFor } from '../services/media/media-service';

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
  /**
   * Called with the page's address as soon as the host listens, while the services (databases,
   * keystore, embedded server) are still starting: the page loads meanwhile and its first calls
   * wait for them. The returned promise still resolves only once everything runs.
   */
  onListening?: (url: string) => void;
}

export interface RunningWebHost {
  /** The page's address, with the per-launch key (see launch-secret.ts). */
  readonly url: string;
  readonly services: Services;
  close(): Promise<void>;
}

export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  const { logger } = options;
  // The host listens first and the services start after: the page's HTML, scripts and first
  // screen load while the databases open (much of which is synchronous work), and the page's first
  // calls wait for them. In series the two added up.
  let startedServices!: (starting: Promise<Services>) => void;
  const servicesReady = new Promise<Services>((resolve) => (startedServices = resolve));
  let services: Services | null = null;

  let origins: string[] = [];
  let serveStatic: ReturnType<typeof createStaticHandler> | null = null;
  let secret: LaunchSecret | null = null;
  const server = http.createServer((req, res) => {
    if (!serveStatic || !secret) {
      res.writeHead(503, { 'Retry-After': '1' }).end('starting');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    if (secret.carriedBy(url)) {
      // The printed URL: the key becomes a cookie and leaves the address bar (and history).
      url.searchParams.delete(secret.param);
      res.writeHead(303, {
        'Set-Cookie': secret.setCookieHeader(),
        Location: `${url.pathname}${url.search}`,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      res.end();
      return;
    }
    if (!secret.admits(req)) {
      res.writeHead(401, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      res.end(
        'Open the address this host printed when it started: it carries the key for this page.\n',
      );
      return;
    }
    if (url.pathname === MODEL_UPLOAD_PATH) {
      if (!services) {
        res.writeHead(503, { 'Retry-After': '1' }).end('starting');
        return;
      }
      return handleModelUpload(req, res, url, {
        voiceModels: services.voiceModels,
        origins: () => origins,
        logger,
      });
    }
    serveStatic(req, res);
  });
  const bridge = createWebBridge(
    servicesReady,
    () => origins,
    (req) => secret?.admits(req) ?? false,
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
    bridge.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  secret = createLaunchSecret(port);
  origins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  const csp = rendererCsp([
    `ws://127.0.0.1:${port}${BRIDGE_PATH}`,
    `ws://localhost:${port}${BRIDGE_PATH}`,
  ]);
  serveStatic = createStaticHandler({
    rendererDir: options.rendererDir,
    webPreloadFile: options.webPreloadFile,
    csp,
    extraFile: (url) =>
      services
        ? (recordingFileFor(services.recordings, url.pathname) ??
          services.voiceModels.fileFor(url.pathname) ??
          mediaFileFor(services.media, url))
        : null,
  });
  const url = `http://127.0.0.1:${port}/?${secret.param}=${secret.value}`;
  logger.info('browser host listening', { url, dataDir: options.dataDir });
  options.onListening?.(url);

  const stopListening = () => {
    bridge.close();
    return new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
  startedServices(
    startServices({
      dataDir: options.dataDir,
      platform: options.platform,
      logger,
      host: 'web',
      serverUrlOverride: options.serverUrl,
    }),
  );
  let running: Services;
  try {
    running = services = await servicesReady;
  } catch (error) {
    await stopListening();
    throw error;
  }

  let closing: Promise<void> | null = null;
  return {
    url,
    services: running,
    close() {
      closing ??= stopListening().then(() => running.stop());
      return closing;
    },
  };
}
