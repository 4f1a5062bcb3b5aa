/**
 * The signaling/relay server: an HTTP server with /healthz and a WebSocket endpoint speaking the
 * wire protocol of src-shared/protocol. Embeddable (main starts one on 127.0.0.1) and runnable
 * alone (main.ts). The transport (framing, bad frames, handshake) lives here; what requests mean
 * lives in ChatService.
 */
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import {
  ClientFrame,
  PROTOCOL_VERSION,
  SERVER_WS_PATH,
  parseFrame,
  ridOf,
  isAnalyticsRequest,
  isCallRequest,
  type ServerErrorCode,
  type ServerFrame,
} from '../src-shared/protocol/frames';
import type { Logger } from '../src-shared/log';
import { newNonce, TokenIssuer } from './auth';
import { certificateNames, loadServerIdentity, serverNames } from './server-identity';
import { dialedAddress, serverProofText } from '../src-shared/protocol/entities';
import { FileService } from './file-service';
import { ChatService, RequestError, type ChatConnection } from './chat-service';
import { CallService } from './call-service';
import { ServerConfigSchema, type ServerConfig, type ServerConfigInput } from './config';
import { ServerStore } from './server-store';
import { ServerAnalytics } from './analytics-service';
import { metricsRegistry, newCounters, type ServerCounters } from './metrics';
import { TokenBucket } from '../src-shared/rate-limit';
import { BucketMap } from './bucket-map';
import { FrameScheduler } from './frame-scheduler';
import { metricsAccess, PendingConnections } from './http-guards';
import { readTlsFiles, selfSignedTls } from './tls-certificate';

export type { ServerCounters } from './metrics';

export interface RunningServer {
  /** ws:// URL clients connect to. */
  readonly url: string;
  readonly httpUrl: string;
  readonly port: number;
  readonly serverId: string;
  /** The server's identity (its public key, base64) and its fingerprint. */
  readonly serverKey: string;
  readonly fingerprint: string;
  /** SHA-256 (hex) of its TLS certificate; null without TLS of its own. */
  readonly tlsCert: string | null;
  /** The name people see (config.name). */
  readonly name: string;
  connections(): number;
  /** Users with at least one authenticated connection. */
  onlineUsers(): number;
  counters(): ServerCounters;
  /** Closes every connection (code 1001) and stops listening. */
  close(): Promise<void>;
}

interface ClientState extends ChatConnection {
  ready: boolean;
  /** Being closed by the server: nothing more it sent is read or handled. */
  closing: boolean;
  helloTimer: NodeJS.Timeout | null;
  pause(): void;
  resume(): void;
  badFrames: number;
  address: string;
  bucket: TokenBucket;
  /** Refusals for rate left before the connection is closed. */
  patience: TokenBucket;
  /** After a refused request, later requests are refused too until this time (keeps order). */
  limitedUntil: number;
}

/** How long a rate-limited client must send no request before its requests are taken again. */
const RATE_LIMIT_QUIET_MS = 500;
/** How long an identity counts as new (its burst is newIdentityRateLimitBurst). */
const NEW_IDENTITY_MS = 60 * 60 * 1000;
/** Requests that are heavy and not interactive (the scheduler's bulk lane). */
const BULK_FRAME = /"t"\s*:\s*"analytics\.upload"/;
/** A socket the server closes gets this long to finish the close handshake, then is cut. */
const CLOSE_GRACE_MS = 1000;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/**
 * The data directory holds every message and the token secret: only the server's user may read
 * it. Its files are made 0600 and the folder 0700 at every start (an older installation's too);
 * new files inherit that from the umask the standalone server sets (main.ts).
 */
function keepDataPrivate(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  fs.chmodSync(dataDir, 0o700);
  for (const entry of fs.readdirSync(dataDir, { withFileTypes: true }))
    if (entry.isFile()) fs.chmodSync(path.join(dataDir, entry.name), 0o600);
}

function loadServerId(dataDir: string): string {
  const file = path.join(dataDir, 'server-id');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (/^[a-f0-9-]{36}$/.test(existing)) return existing;
  } catch {
    // first start: fall through and create one
  }
  const id = crypto.randomUUID();
  fs.writeFileSync(file, id + '\n');
  return id;
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts the server and resolves once it listens. */
export async function startSignalingServer(
  input: ServerConfigInput,
  logger: Logger,
): Promise<RunningServer> {
  const config: ServerConfig = ServerConfigSchema.parse(input);
  keepDataPrivate(config.dataDir);
  const serverId = loadServerId(config.dataDir);
  const identity = loadServerIdentity(config.dataDir);
  const startedAt = Date.now();
  const clients = new Map<WebSocket, ClientState>();
  const counters: ServerCounters = newCounters();
  const metrics = metricsRegistry(counters, () => clients.size);
  const perAddress = new Map<string, number>();
  // A key made in the last hour gets a small burst: new keys cost nothing to make, so a fresh
  // key's allowance must not be a thousand messages stored and fanned out at once.
  const identityBuckets = new BucketMap((userId) => {
    const createdAt = store.userCreatedAt(userId) ?? Date.now();
    return Date.now() - createdAt < NEW_IDENTITY_MS
      ? Math.min(config.newIdentityRateLimitBurst, config.identityRateLimitBurst)
      : config.identityRateLimitBurst;
  }, config.identityRateLimitPerSec);
  const store = new ServerStore(path.join(config.dataDir, 'server.db'));
  const chat = new ChatService(
    store,
    new TokenIssuer(config.dataDir, config.tokenTtlMs),
    identity.publicKey,
    logger,
    {
      limits: {
        failedJoinsBurst: config.failedJoinsBurst,
        failedJoinsPerMinute: config.failedJoinsPerMinute,
        newIdentitiesBurst: config.newIdentitiesBurst,
        newIdentitiesPerHour: config.newIdentitiesPerHour,
      },
      counters,
      admins: config.admins,
      firstUserIsAdmin: config.firstUserIsAdmin,
    },
  );
  const analytics = new ServerAnalytics(config.dataDir, logger.child({ component: 'analytics' }), {
    dailyQuota: config.analyticsDailyQuota,
    eventsBurst: config.analyticsEventsBurst,
    eventsPerSec: config.analyticsEventsPerSec,
    bytesBurst: config.analyticsBytesBurst,
    bytesPerSec: config.analyticsBytesPerSec,
  });
  const calls = new CallService(chat, logger.child({ component: 'calls' }), {
    maxParticipants: config.maxCallParticipants,
    resumeGraceMs: config.callResumeGraceMs,
  });

  const files = new FileService(
    config.dataDir,
    store,
    {
      userFor: (token) => chat.userForToken(token),
      isMember: (roomId, userId) => chat.membersOf(roomId).has(userId),
    },
    config.maxFileBytes,
    logger.child({ component: 'files' }),
  );
  const tls = config.tlsCertFile
    ? readTlsFiles(config.tlsCertFile, config.tlsKeyFile!)
    : config.tls === 'self-signed'
      ? await selfSignedTls(config.dataDir, config.name)
      : null;
  let listeningPort = 0;
  const names = serverNames({
    port: () => listeningPort,
    publicUrls: config.publicUrls,
    certificateNames: tls ? certificateNames(tls.cert) : [],
  });
  const onRequest: http.RequestListener = (req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    // Browsers remember to use HTTPS only; sent only over TLS, as the standard requires.
    if (tls) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    const url = new URL(req.url ?? '/', 'http://server.invalid');
    if (req.method === 'GET' && url.pathname === '/metrics') {
      const access = metricsAccess(
        req.socket.remoteAddress,
        req.headers.authorization,
        config.metricsToken,
      );
      if (access !== 'allowed') {
        counters.refusedMetrics++;
        res.writeHead(access === 'unauthorized' ? 401 : 403, {
          'Content-Type': 'application/json',
          ...(access === 'unauthorized' ? { 'WWW-Authenticate': 'Bearer' } : {}),
        });
        res.end(JSON.stringify({ error: 'metrics are served to this machine or with the token' }));
        return;
      }
      metrics.metrics().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': metrics.contentType });
          res.end(text);
        },
        (error: Error) => {
          logger.error('metrics failed', { error });
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ error: 'internal' }));
        },
      );
      return;
    }
    if (files.handle(req, res, url)) return;
    if (req.method === 'GET' && url.pathname === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'ok',
          serverId,
          protocol: PROTOCOL_VERSION,
          uptimeSec: Math.round((Date.now() - startedAt) / 1000),
          connections: clients.size,
          calls: calls.activeCalls(),
        }),
      );
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: 'not_found' }));
  };
  // Slow clients: headers and whole requests are timed (checked every second), and one address
  // may hold only so many connections that have not become WebSockets yet.
  const serverOptions: http.ServerOptions = {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    connectionsCheckingInterval: 1000,
  };
  const httpServer = tls
    ? https.createServer(
        {
          ...serverOptions,
          cert: tls.cert,
          key: tls.key,
          handshakeTimeout: config.headersTimeoutMs,
        },
        onRequest,
      )
    : http.createServer(serverOptions, onRequest);
  const pendingConnections = new PendingConnections(config.maxPendingPerAddress);
  httpServer.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    if (!pendingConnections.admit(socket)) counters.refusedPendingConnections++;
  });

  const wss = new WebSocketServer({
    server: httpServer,
    path: SERVER_WS_PATH,
    maxPayload: config.maxFrameBytes,
    // Before the upgrade: a browser page of a foreign site must not ride the user's network
    // position (cross-site WebSocket hijacking), and one address must not hold every socket.
    verifyClient: (info, done) => {
      const origin = info.req.headers.origin;
      if (origin !== undefined && !config.allowedOrigins.includes(origin)) {
        counters.refusedUpgrades++;
        counters.refusedUpgradesForOrigin++;
        logger.warn('upgrade refused: origin not allowed', { origin });
        return done(false, 403, 'origin not allowed');
      }
      // A client that shows a session token must show a good one; one without signs in in-band.
      const authorization = info.req.headers.authorization;
      if (authorization !== undefined) {
        const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
        if (!token || !chat.checkToken(token)) {
          counters.refusedUpgrades++;
          counters.refusedUpgradesForToken++;
          logger.warn('upgrade refused: invalid or expired token');
          return done(false, 401, 'invalid or expired token');
        }
      }
      const address = info.req.socket.remoteAddress ?? '';
      const open = perAddress.get(address) ?? 0;
      if (config.maxConnectionsPerAddress && open >= config.maxConnectionsPerAddress) {
        counters.refusedUpgrades++;
        logger.warn('upgrade refused: too many connections from one address', { address, open });
        return done(false, 429, 'too many connections from this address');
      }
      done(true);
    },
  });

  const send = (socket: WebSocket, frame: ServerFrame) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };

  const reject = (
    socket: WebSocket,
    state: ClientState,
    code: ServerErrorCode,
    message: string,
    rid?: number,
  ) => {
    counters.badFrames++;
    state.badFrames++;
    logger.warn('bad frame', { code, message, badFrames: state.badFrames });
    send(
      socket,
      rid === undefined ? { t: 'error', code, message } : { t: 'error', rid, code, message },
    );
    if (state.badFrames >= config.maxBadFrames) {
      counters.disconnectedForErrors++;
      send(socket, { t: 'error', code: 'too_many_errors', message: 'too many bad frames' });
      closeNow(socket, state, 1008, 'too many bad frames');
    }
  };

  /**
   * Closes a connection the server gives up on: nothing more it sent is read (the socket is
   * paused) or handled (its queue is dropped), and a peer that does not answer the close (one
   * that stopped reading) is cut after a short grace instead of ws's 30 s.
   */
  const closeNow = (socket: WebSocket, state: ClientState, code: number, reason: string) => {
    if (state.closing) return;
    state.closing = true;
    scheduler.forget(state);
    socket.pause();
    socket.close(code, reason);
    setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
  };

  /**
   * Over a rate limit: told so; one that keeps going past its patience is disconnected. After a
   * refused request every request is refused until the client has been quiet for a moment, so
   * that a client pipelining its outbox never gets a later message accepted before an earlier,
   * refused one (which it sends again after its pause).
   */
  const limited = (socket: WebSocket, state: ClientState, rid: number | undefined) => {
    counters.rateLimited++;
    if (rid !== undefined) state.limitedUntil = Date.now() + RATE_LIMIT_QUIET_MS;
    if (!state.patience.take()) {
      if (socket.readyState !== socket.OPEN) return;
      counters.disconnectedForRate++;
      logger.warn('connection closed for flooding', {
        userId: state.userId,
        address: state.address,
      });
      send(socket, { t: 'error', code: 'rate_limited', message: 'rate limit exceeded: closing' });
      closeNow(socket, state, 1008, 'rate limit exceeded');
      return;
    }
    const message = 'too many requests: slow down and retry';
    send(
      socket,
      rid === undefined
        ? { t: 'error', code: 'rate_limited', message }
        : { t: 'error', rid, code: 'rate_limited', message },
    );
  };

  const analyticsRequest = (
    state: ClientState,
    frame: Parameters<ServerAnalytics['handle']>[2],
    bytes: number,
  ) => {
    const userId = chat.requireUser(state);
    return analytics.handle(userId, chat.isAdmin(userId), frame, bytes);
  };

  const onFrame = (socket: WebSocket, state: ClientState, raw: string, isBinary: boolean) => {
    if (state.closing) return;
    if (state.limitedUntil > Date.now()) {
      // Requests (with a rid) wait for the quiet; pings and the like go by the bucket alone.
      const rid = ridOf(raw);
      if (rid !== undefined) return limited(socket, state, rid);
    }
    if (!state.bucket.take() || (state.userId !== null && !identityBuckets.take(state.userId)))
      return limited(socket, state, ridOf(raw));
    if (isBinary) return reject(socket, state, 'malformed_frame', 'binary frames are not accepted');
    const parsed = parseFrame(ClientFrame, raw);
    if (!parsed.ok) return reject(socket, state, parsed.code, parsed.message, ridOf(raw));
    const frame = parsed.frame;
    if (frame.t === 'msg.send') counters.messages++;
    switch (frame.t) {
      case 'hello':
        if (frame.v !== PROTOCOL_VERSION) {
          send(socket, {
            t: 'error',
            code: 'unsupported_version',
            message: `server speaks protocol ${PROTOCOL_VERSION}, client ${frame.v}`,
          });
          socket.close(1002, 'unsupported protocol version');
          return;
        }
        if (!frame.dialed || !frame.nonce)
          return reject(socket, state, 'malformed_frame', 'hello needs dialed and nonce');
        // The address the client meant to reach must be one of this server's: a server that
        // relays someone's handshake here (to sign in as them) is refused in words.
        if (!names.accepts(frame.dialed)) {
          counters.wrongServer++;
          return reject(
            socket,
            state,
            'wrong_server',
            `this server is not reachable as ${frame.dialed.slice(0, 200)}; its operator can add that address with --public-url`,
          );
        }
        state.ready = true;
        state.dialed = dialedAddress(frame.dialed);
        state.clientNonce = frame.nonce;
        if (state.helloTimer) clearTimeout(state.helloTimer);
        state.helloTimer = null;
        send(socket, {
          t: 'welcome',
          v: PROTOCOL_VERSION,
          serverId,
          time: Date.now(),
          nonce: state.nonce,
          serverKey: identity.publicKey,
          proof: identity.sign(
            serverProofText(state.dialed, frame.nonce, state.nonce, tls?.sha256 ?? null),
          ),
          tlsCert: tls?.sha256 ?? null,
          name: config.name,
        });
        return;
      case 'ping':
        if (!state.ready) return reject(socket, state, 'not_ready', 'send hello first');
        send(socket, { t: 'pong', id: frame.id, ts: frame.ts });
        return;
      default: {
        if (!state.ready) return reject(socket, state, 'not_ready', 'send hello first', frame.rid);
        try {
          send(
            socket,
            isCallRequest(frame)
              ? calls.handle(state, frame)
              : isAnalyticsRequest(frame)
                ? analyticsRequest(state, frame, raw.length)
                : chat.handle(state, frame),
          );
        } catch (error) {
          if (error instanceof RequestError) {
            counters.refusedRequests++;
            send(socket, { t: 'error', rid: frame.rid, code: error.code, message: error.message });
          } else {
            counters.internalErrors++;
            logger.error('request failed', { t: frame.t, error });
            send(socket, {
              t: 'error',
              rid: frame.rid,
              code: 'internal',
              message: 'internal error',
            });
          }
        }
      }
    }
  };

  const socketOf = new Map<ClientState, WebSocket>();
  const scheduler = new FrameScheduler<ClientState>((state, data, isBinary) => {
    const socket = socketOf.get(state);
    if (!socket) return;
    try {
      onFrame(socket, state, data, isBinary);
    } catch (error) {
      logger.error('frame handler failed', { error });
    }
  });

  wss.on('connection', (socket, req) => {
    pendingConnections.settled(req.socket);
    const address = req.socket.remoteAddress ?? '';
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    const state: ClientState = {
      ready: false,
      dialed: '',
      clientNonce: '',
      closing: false,
      helloTimer: null,
      pause: () => socket.pause(),
      resume: () => {
        if (!state.closing) socket.resume();
      },
      badFrames: 0,
      address,
      bucket: new TokenBucket(config.rateLimitBurst, config.rateLimitPerSec),
      patience: new TokenBucket(config.rateLimitPatience, config.rateLimitPerSec / 10),
      limitedUntil: 0,
      nonce: newNonce(),
      userId: null,
      tokenExpiresAt: 0,
      presence: 'online',
      inCall: false,
      send: (frame) => send(socket, frame),
      sendText: (text) => {
        if (socket.readyState === socket.OPEN) socket.send(text);
      },
    };
    clients.set(socket, state);
    socketOf.set(state, socket);
    counters.connectionsTotal++;
    // A socket that never says hello holds a slot for nothing.
    state.helloTimer = setTimeout(() => {
      counters.disconnectedForSilence++;
      send(socket, { t: 'error', code: 'not_ready', message: 'no hello: closing' });
      closeNow(socket, state, 1008, 'no hello');
    }, config.helloTimeoutMs);
    state.helloTimer.unref();
    logger.info('client connected', {
      remote: req.socket.remoteAddress,
      connections: clients.size,
    });
    socket.on('message', (data: RawData, isBinary) => {
      if (state.closing) return;
      counters.framesReceived++;
      const text = isBinary ? '' : data.toString();
      scheduler.enqueue(state, text, isBinary, BULK_FRAME.test(text.slice(0, 64)));
    });
    socket.on('error', (error) => {
      // ws reports oversize frames here (and closes with 1009); count it like any bad frame.
      counters.badFrames++;
      logger.warn('socket error', { error: error.message });
    });
    socket.on('close', (code) => {
      clients.delete(socket);
      socketOf.delete(state);
      scheduler.forget(state);
      if (state.helloTimer) clearTimeout(state.helloTimer);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
      calls.disconnected(state);
      chat.disconnected(state);
      logger.info('client disconnected', { code, connections: clients.size });
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  listeningPort = port;
  const host = hostForUrl(config.host);
  logger.info('server listening', {
    host: config.host,
    port,
    serverId,
    fingerprint: identity.fingerprint,
  });

  let closing: Promise<void> | null = null;
  return {
    url: `${tls ? 'wss' : 'ws'}://${host}:${port}${SERVER_WS_PATH}`,
    httpUrl: `${tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    serverId,
    serverKey: identity.publicKey,
    fingerprint: identity.fingerprint,
    tlsCert: tls?.sha256 ?? null,
    name: config.name,
    connections: () => clients.size,
    onlineUsers: () => chat.onlineUsers(),
    counters: () => ({ ...counters }),
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const socket of clients.keys()) socket.close(1001, 'server shutting down');
        const force = setTimeout(() => {
          for (const socket of clients.keys()) socket.terminate();
        }, config.shutdownGraceMs);
        force.unref();
        wss.close(() => {
          httpServer.close(() => {
            clearTimeout(force);
            calls.close();
            store.close();
            analytics.close();
            logger.info('server stopped');
            resolve();
          });
          httpServer.closeAllConnections();
        });
      });
      return closing;
    },
  };
}
