/**
 * The one connection from main to the server. Main owns it (not the renderer) so that it
 * survives renderer reloads. Speaks the wire protocol of src-shared/protocol; reconnects with
 * backoff; measures round-trip time with pings and declares the link dead when pongs stop.
 */
import WebSocket from 'ws';
import {
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  ServerFrame,
  parseFrame,
  type ClientFrame,
} from '../../../src-shared/protocol/frames';
import type { ConnectionStatus } from '../../../src-shared/ipc/types';
import type { Logger } from '../../../src-shared/log';
import { backoffDelay, type BackoffOptions } from './backoff';

export interface ConnectionTarget {
  url: string;
  embedded: boolean;
  source: ConnectionStatus['source'];
}

export interface ServerConnectionOptions {
  clientInfo: { name: string; version: string };
  logger: Logger;
  backoff?: BackoffOptions;
  pingIntervalMs?: number;
  /** No pong for this long means the link is dead, even if TCP has not noticed. */
  livenessTimeoutMs?: number;
}

export class ServerConnection {
  private target: ConnectionTarget | null = null;
  private socket: WebSocket | null = null;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private pingSeq = 0;
  private lastPongAt = 0;
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
    this.pingIntervalMs = options.pingIntervalMs ?? 2000;
    this.livenessTimeoutMs = options.livenessTimeoutMs ?? 5000;
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
    this.teardown();
    this.update({
      url: target.url,
      embedded: target.embedded,
      source: target.source,
      lastError: null,
    });
    this.open();
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

  private open(): void {
    const target = this.target;
    if (!target) return;
    this.update({ state: 'connecting' });
    const socket = new WebSocket(target.url, {
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: 5000,
    });
    this.socket = socket;
    socket.on('open', () => {
      this.send({ t: 'hello', v: PROTOCOL_VERSION, client: this.options.clientInfo });
    });
    socket.on('message', (data) => this.onMessage(data.toString()));
    socket.on('error', (error) => {
      this.update({ lastError: error.message });
    });
    socket.on('close', (code, reason) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopPing();
      const why = reason.toString() || `closed (${code})`;
      this.options.logger.info('server connection closed', { code, reason: why, url: target.url });
      this.update({ state: 'offline', rttMs: null, lastError: this.current.lastError ?? why });
      this.scheduleReconnect();
    });
  }

  private onMessage(raw: string): void {
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
        this.lastPongAt = Date.now();
        this.update({ state: 'online', serverId: frame.serverId, lastError: null });
        this.startPing();
        return;
      case 'pong':
        this.lastPongAt = Date.now();
        this.update({ rttMs: Date.now() - frame.ts });
        return;
      case 'error':
        this.options.logger.warn('server reported an error', {
          code: frame.code,
          message: frame.message,
        });
        this.update({ lastError: `${frame.code}: ${frame.message}` });
        return;
    }
  }

  private startPing(): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastPongAt > this.livenessTimeoutMs) {
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

  private scheduleReconnect(): void {
    if (this.stopped || !this.target || this.reconnectTimer) return;
    const delay = backoffDelay(this.attempt++, this.backoff);
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
