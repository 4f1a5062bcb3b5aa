/**
 * The one connection from main to the server. Main owns it (not the renderer) so that it
 * survives renderer reloads. Speaks the wire protocol of src-shared/protocol; reconnects with
 * backoff; correlates requests with replies; measures round-trip time with pings and declares the
 * link dead when nothing has been heard for a while (so a pulled cable shows within 2 s).
 */
import WebSocket from 'ws';
import {
  MAX_SERVER_FRAME_BYTES,
  PROTOCOL_VERSION,
  ServerFrame,
  parseFrame,
  type ClientFrame,
  type ClientRequest,
  type DistributiveOmit,
  type ReplyTo,
  type ServerErrorCode,
} from '../../../src-shared/protocol/frames';
import type { ConnectionStatus } from '../../../src-shared/ipc/types';
import type { Logger } from '../../../src-shared/log';
import { backoffDelay, type BackoffOptions } from './backoff';

/** A request the server refused, or one that could not get an answer (`offline`, `timeout`). */
export class ServerRequestError extends Error {
  constructor(
    readonly code: ServerErrorCode | 'offline' | 'timeout',
    message: string,
  ) {
    super(message);
    this.name = 'ServerRequestError';
  }
}

export type Welcome = Extract<ServerFrame, { t: 'welcome' }>;
export type Push = Extract<
  ServerFrame,
  { t: 'msg' | 'presence' | 'member' | 'room.changed' | 'call.state' | 'call.signal' }
>;
type RequestFrame<T extends keyof ReplyTo> = DistributiveOmit<
  Extract<ClientRequest, { t: T }>,
  'rid'
>;

interface PendingRequest {
  resolve(frame: unknown): void;
  reject(error: ServerRequestError): void;
  timer: NodeJS.Timeout;
}

export interface ConnectionTarget {
  url: string;
  embedded: boolean;
  source: ConnectionStatus['source'];
  /** Servers to fail over to, in order, while `url` does not answer. */
  fallbacks?: string[];
}

export interface ServerConnectionOptions {
  clientInfo: { name: string; version: string };
  logger: Logger;
  backoff?: BackoffOptions;
  pingIntervalMs?: number;
  /** No pong for this long means the link is dead, even if TCP has not noticed. */
  livenessTimeoutMs?: number;
  /** While on a fallback, how often to look whether the first server is back. */
  primaryProbeMs?: number;
}

export class ServerConnection {
  private target: ConnectionTarget | null = null;
  /** Index into the target's servers (0: its url, then its fallbacks) now in use. */
  private serverIndex = 0;
  /** Servers tried in a row without a session: a whole round of them means wait (backoff). */
  private failedInRow = 0;
  private probeTimer: NodeJS.Timeout | null = null;
  private upgradeToken: { value: string; expiresAt: number } | null = null;
  private socket: WebSocket | null = null;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private pingSeq = 0;
  private lastHeardAt = 0;
  private lastTickAt = 0;
  private nextRid = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly sessionListeners = new Set<(welcome: Welcome) => void>();
  private readonly pushListeners = new Set<(push: Push) => void>();
  private stopped = false;
  private current: ConnectionStatus = {
    state: 'offline',
    url: null,
    embedded: false,
    source: 'embedded',
    rttMs: null,
    serverId: null,
    lastError: null,
    since: Date.now(),
  };
  private readonly listeners = new Set<(status: ConnectionStatus) => void>();
  private readonly backoff: BackoffOptions;
  private readonly pingIntervalMs: number;
  private readonly livenessTimeoutMs: number;

  constructor(private readonly options: ServerConnectionOptions) {
    this.backoff = options.backoff ?? { baseMs: 500, maxMs: 30_000 };
    this.pingIntervalMs = options.pingIntervalMs ?? 500;
    this.livenessTimeoutMs = options.livenessTimeoutMs ?? 1500;
  }

  /** Called on every handshake (each new connection), with the server's nonce to sign. */
  onSession(listener: (welcome: Welcome) => void): () => void {
    this.sessionListeners.add(listener);
    return () => this.sessionListeners.delete(listener);
  }

  /** Frames the server pushes without being asked: messages, presence, membership, calls. */
  onPush(listener: (push: Push) => void): () => void {
    this.pushListeners.add(listener);
    return () => this.pushListeners.delete(listener);
  }

  isOnline(): boolean {
    return this.current.state === 'online';
  }

  /**
   * Sends a request and resolves with its reply. Rejects with ServerRequestError: the server's
   * refusal, `offline` when there is no session or it drops before the answer, or `timeout`.
   */
  request<T extends keyof ReplyTo>(
    frame: { t: T } & RequestFrame<T>,
    timeoutMs = 15_000,
  ): Promise<ReplyTo[T]> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN || this.current.state !== 'online')
      return Promise.reject(new ServerRequestError('offline', 'not connected to the server'));
    const rid = this.nextRid++;
    return new Promise<ReplyTo[T]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        reject(new ServerRequestError('timeout', `no answer to ${frame.t} in ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.pending.set(rid, { resolve: resolve as (f: unknown) => void, reject, timer });
      socket.send(JSON.stringify({ ...frame, rid }));
    });
  }

  status(): ConnectionStatus {
    return { ...this.current };
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Points the connection at a server (dropping any previous one) and connects. */
  connect(target: ConnectionTarget): void {
    this.stopped = false;
    this.target = target;
    this.attempt = 0;
    this.serverIndex = 0;
    this.failedInRow = 0;
    this.teardown();
    this.update({
      url: target.url,
      embedded: target.embedded,
      source: target.source,
      lastError: null,
    });
    this.open();
  }

  /**
   * A session token to present when the connection is (re)opened; the server refuses the upgrade
   * (401) when it is not valid, and the connection then opens without it and signs in anew.
   */
  useUpgradeToken(token: { value: string; expiresAt: number } | null): void {
    this.upgradeToken = token;
  }

  /** Skips the backoff wait and tries again now. */
  reconnectNow(): void {
    if (!this.target || this.stopped) return;
    this.attempt = 0;
    this.teardown();
    this.open();
  }

  close(): void {
    this.stopped = true;
    this.teardown();
    this.update({ state: 'offline', rttMs: null });
  }

  private servers(): string[] {
    return this.target ? [this.target.url, ...(this.target.fallbacks ?? [])] : [];
  }

  private open(): void {
    const target = this.target;
    if (!target) return;
    const url = this.servers()[this.serverIndex] ?? target.url;
    let welcomed = false;
    this.update({ state: 'connecting', url });
    const token =
      this.upgradeToken && this.upgradeToken.expiresAt > Date.now() + 5000
        ? this.upgradeToken.value
        : null;
    const socket = new WebSocket(url, {
      maxPayload: MAX_SERVER_FRAME_BYTES,
      handshakeTimeout: 5000,
      ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
    });
    this.socket = socket;
    // Listening for this event means ws leaves the refused handshake to us (no error, no close).
    let refusal: string | null = null;
    socket.on('unexpected-response', (_request, response) => {
      if (this.socket !== socket) return;
      if (response.statusCode === 401 && token) {
        // Our token is no longer good here (another server, a new secret): connect without it.
        this.options.logger.info('token refused at the upgrade; connecting without it');
        this.upgradeToken = null;
        this.reconnectNow();
        return;
      }
      refusal = `the server refused the connection (HTTP ${response.statusCode})`;
      this.update({ lastError: refusal });
      socket.terminate(); // closes as a failed attempt: the usual retry or failover follows
    });
    socket.on('open', () => {
      this.send({ t: 'hello', v: PROTOCOL_VERSION, client: this.options.clientInfo });
    });
    socket.on('message', (data) => {
      if (!welcomed && this.socket === socket) welcomed = true;
      this.onMessage(data.toString());
    });
    socket.on('error', (error) => {
      if (!refusal) this.update({ lastError: error.message });
    });
    socket.on('close', (code, reason) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopPing();
      this.stopProbe();
      this.failPending('the connection to the server closed');
      const why = reason.toString() || `closed (${code})`;
      this.options.logger.info('server connection closed', { code, reason: why, url });
      this.update({ state: 'offline', rttMs: null, lastError: this.current.lastError ?? why });
      const count = this.servers().length;
      if (count > 1) {
        // Down (or never up): the next server in the list, at once until a whole round failed.
        this.failedInRow = welcomed ? 1 : this.failedInRow + 1;
        this.serverIndex = (this.serverIndex + 1) % count;
        if (this.failedInRow < count) {
          this.options.logger.info('failing over', { to: this.servers()[this.serverIndex] });
          return this.scheduleReconnect(0);
        }
        this.failedInRow = 0;
      }
      this.scheduleReconnect();
    });
  }

  private onMessage(raw: string): void {
    this.lastHeardAt = Date.now();
    const parsed = parseFrame(ServerFrame, raw);
    if (!parsed.ok) {
      this.options.logger.warn('bad frame from server', {
        code: parsed.code,
        message: parsed.message,
      });
      return;
    }
    const frame = parsed.frame;
    switch (frame.t) {
      case 'welcome':
        this.attempt = 0;
        this.failedInRow = 0;
        if (this.serverIndex > 0) this.startProbe();
        this.update({ state: 'online', serverId: frame.serverId, lastError: null });
        this.startPing();
        for (const listener of this.sessionListeners) {
          try {
            listener(frame);
          } catch (error) {
            this.options.logger.error('starting a session failed', { error });
          }
        }
        return;
      case 'pong':
        this.update({ rttMs: Date.now() - frame.ts });
        return;
      case 'msg':
      case 'presence':
      case 'member':
      case 'room.changed':
      case 'call.state':
      case 'call.signal':
        for (const listener of this.pushListeners) {
          try {
            listener(frame);
          } catch (error) {
            this.options.logger.error('handling a push failed', { t: frame.t, error });
          }
        }
        return;
      case 'error': {
        const waiting = frame.rid !== undefined ? this.pending.get(frame.rid) : undefined;
        if (waiting) {
          this.pending.delete(frame.rid!);
          clearTimeout(waiting.timer);
          waiting.reject(new ServerRequestError(frame.code, frame.message));
          return;
        }
        this.options.logger.warn('server reported an error', {
          code: frame.code,
          message: frame.message,
        });
        this.update({ lastError: `${frame.code}: ${frame.message}` });
        return;
      }
      default: {
        const waiting = this.pending.get(frame.rid);
        if (!waiting) return; // answered after its timeout
        this.pending.delete(frame.rid);
        clearTimeout(waiting.timer);
        waiting.resolve(frame);
      }
    }
  }

  private failPending(why: string): void {
    for (const [rid, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new ServerRequestError('offline', why));
      this.pending.delete(rid);
    }
  }

  private startPing(): void {
    this.stopPing();
    this.lastHeardAt = this.lastTickAt = Date.now();
    this.pingTimer = setInterval(() => {
      const now = Date.now();
      // A late tick means this process was busy, not that the link is dead: frames may be queued.
      if (now - this.lastTickAt > this.pingIntervalMs * 2) this.lastHeardAt = now;
      this.lastTickAt = now;
      if (now - this.lastHeardAt > this.livenessTimeoutMs) {
        this.options.logger.warn('server stopped answering pings; dropping the connection');
        this.update({ lastError: 'server stopped answering' });
        this.socket?.terminate();
        return;
      }
      this.send({ t: 'ping', id: ++this.pingSeq, ts: Date.now() });
    }, this.pingIntervalMs);
    this.pingTimer.unref();
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  /** On a fallback: returns to the first server as soon as it accepts connections again. */
  private startProbe(): void {
    this.stopProbe();
    const primary = this.target?.url;
    if (!primary) return;
    this.probeTimer = setInterval(() => {
      const probe = new WebSocket(primary, { handshakeTimeout: 3000 });
      probe.on('error', () => undefined);
      probe.on('open', () => {
        probe.close();
        if (this.serverIndex === 0 || this.stopped) return;
        this.options.logger.info('the first server is back; returning to it', { url: primary });
        this.serverIndex = 0;
        this.failedInRow = 0;
        this.reconnectNow();
      });
    }, this.options.primaryProbeMs ?? 15_000);
    this.probeTimer.unref();
  }

  private stopProbe(): void {
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
  }

  private scheduleReconnect(delayMs?: number): void {
    if (this.stopped || !this.target || this.reconnectTimer) return;
    const delay = delayMs ?? backoffDelay(this.attempt++, this.backoff);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.open();
    }, delay);
    this.reconnectTimer.unref();
  }

  private send(frame: ClientFrame): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private teardown(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopPing();
    this.stopProbe();
    this.failPending('the connection was reset');
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
    }
  }

  private update(change: Partial<ConnectionStatus>): void {
    const next = { ...this.current, ...change };
    if (change.state && change.state !== this.current.state) next.since = Date.now();
    const changed = (Object.keys(change) as (keyof ConnectionStatus)[]).some(
      (key) => next[key] !== this.current[key],
    );
    this.current = next;
    if (changed) for (const listener of this.listeners) listener(this.status());
  }
}
