/**
 * The browser host's side of the bridge: the IPC contract carried over a WebSocket. Only pages
 * served by this host may connect: the upgrade must show the host's per-launch secret (a cookie
 * the printed URL set; see launch-secret.ts) and come from the host's own Origin (against
 * cross-site WebSocket hijacking).
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  BRIDGE_MAX_FRAME_BYTES,
  BRIDGE_PATH,
  BridgeCallFrame,
  type BridgeHostFrame,
} from '../../src-shared/ipc/bridge-frames';
import { describeZodError } from '../../src-shared/ipc/envelope';
import {
  DEFAULT_CALLER_LIMITS,
  limitedDispatch,
  type CallerLimits,
} from '../services/api/caller-limits';
import type { Logger } from '../../src-shared/log';
import type { Services } from '../services/container';
import type { Dispatch } from '../services/api/dispatcher';

export interface WebBridge {
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  clients(): number;
  close(): void;
}

export function createWebBridge(
  /** The services, or their start: calls made before they run wait for them. */
  servicesReady: Promise<Pick<Services, 'dispatch' | 'events'>>,
  allowedOrigins: () => string[],
  /** Whether the upgrade request shows the host's per-launch secret (its cookie). */
  admits: (req: http.IncomingMessage) => boolean,
  logger: Logger,
  limits: CallerLimits = DEFAULT_CALLER_LIMITS,
): WebBridge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_MAX_FRAME_BYTES });

  const send = (socket: WebSocket, frame: BridgeHostFrame) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };

  const refuse = (
    socket: WebSocket,
    id: number | null,
    message: string,
    issues?: { path: string; message: string }[],
    count = 1,
  ) => {
    // A stream of bad frames must not become a stream of log lines: the first few, then samples.
    if (count <= 5 || count % 1000 === 0)
      logger.warn('bridge: malformed frame', { message, issues, count });
    send(socket, {
      kind: 'result',
      id,
      result: {
        ok: false,
        error: { code: 'malformed_frame', message, ...(issues ? { issues } : {}) },
      },
    });
  };

  const whenReady: Dispatch = (channel, input) =>
    servicesReady.then(
      (services) => services.dispatch(channel, input),
      () => ({
        ok: false as const,
        error: { code: 'unavailable' as const, message: 'The app could not start its services.' },
      }),
    );

  wss.on('connection', (socket) => {
    // Each page (socket) has its own allowance of calls.
    const dispatch = limitedDispatch(whenReady, limits);
    let warned = false;
    let malformed = 0;
    socket.on('message', (data, isBinary) => {
      if (isBinary)
        return refuse(socket, null, 'binary frames are not accepted', undefined, ++malformed);
      let json: unknown;
      try {
        json = JSON.parse(data.toString());
      } catch {
        return refuse(socket, null, 'frame is not valid JSON', undefined, ++malformed);
      }
      const parsed = BridgeCallFrame.safeParse(json);
      if (!parsed.success) {
        const id = (json as { id?: unknown } | null)?.id;
        return refuse(
          socket,
          typeof id === 'number' && id >= 0 ? id : null,
          'frame does not match the bridge protocol',
          describeZodError(parsed.error),
          ++malformed,
        );
      }
      const { id, channel, input } = parsed.data;
      void dispatch(channel, input).then((result) => {
        if (!result.ok && result.error.code === 'rate_limited' && !warned) {
          warned = true;
          logger.warn('bridge: a page exceeded its call rate', { channel });
        }
        send(socket, { kind: 'result', id, result });
      });
    });
    socket.on('error', (error) => logger.warn('bridge socket error', { error: error.message }));
  });

  let closed = false;
  let unsubscribe = () => {};
  servicesReady.then(
    (services) => {
      if (closed) return;
      unsubscribe = services.events.subscribe((name, payload) => {
        const frame = JSON.stringify({ kind: 'event', name, payload } satisfies BridgeHostFrame);
        for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(frame);
      });
    },
    () => {},
  );

  return {
    handleUpgrade(req, socket, head) {
      const path = new URL(req.url ?? '/', 'http://host.invalid').pathname;
      const origin = req.headers.origin;
      if (path !== BRIDGE_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      // An Origin header is easy to forge outside a browser: the secret cookie is what counts.
      if (!admits(req)) {
        logger.warn('bridge: refused a connection without the launch key');
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        return;
      }
      if (!origin || !allowedOrigins().includes(origin)) {
        logger.warn('bridge: refused a connection from a foreign origin', {
          origin: origin ?? null,
        });
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    clients: () => wss.clients.size,
    close() {
      closed = true;
      unsubscribe();
      for (const client of wss.clients) client.close(1001, 'host shutting down');
      wss.close();
    },
  };
}
