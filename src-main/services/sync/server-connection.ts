/**
 * The one connection from main to the server. Main owns it (not the renderer) so that it
 * survives renderer reloads. Speaks the wire protocol of src-shared/protocol; reconnects with
 * backoff; correlates requests with replies; measures round-trip time with pings and declares the
 * link dead when nothing has been heard for a while (so a pulled cable shows within 2 s).
 */
import crypto from 'node:crypto';
import WebSocket from 'ws';
import { dialedAddress, serverProofText } from '../../../src-shared/protocol/entities';
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage } from 'node:http';
import type { PinCheck, TlsPin } from './server-pins';

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Whether `signature` is `publicKey`'s Ed25519 signature of `text` (all base64). */
function verifyEd25519(publicKey: string, text: string, signature: string): boolean {
  try {
    const key = crypto.createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKey, 'base64')]),
      format: 'der',
      type: 'spki',
    });
    return crypto.verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
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
import { describeSocketError } from './network-errors';

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

/** A session's opening: the server's welcome, with the address dialed and the client's nonce. */
export type Welcome = Extract<ServerFrame, { t: 'welcome' }> & {
  dialed: string;
  clientNonce: string;
};

/** Whether the key a server showed at an address is the one trusted there (see ServerPins). */
export type IdentityCheck = (url: string, serverKey: string, primary: string) => PinCheck;
export type Push = Extract<
  ServerFrame,
  {
    t:
      | 'msg'
      | 'presence'
      | 'member'
      | 'room.changed'
      | 'typing'
      | 'read'
      | 'call.state'
      | 'call.signal';
  }
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
  /** Checks the server's identity key against the one trusted at its address. */
  checkIdentity: IdentityCheck;
  /** How TLS was checked at an address before (null: first contact), and where to record it. */
  tlsTrust?: { get(url: string): TlsPin | null; set(url: string, pin: TlsPin): void };
}

/** The certificate a wss:// server presented, as this side saw it. */
interface PeerCertificate {
  sha256: string;
  pem: string;
  /** Whether the system's certificate authorities vouch for it (for this host name). */
  authorized: boolean;
}

function peerCertificate(response: IncomingMessage): PeerCertificate | null {
  const socket = response.socket as TLSSocket;
  const cert =
    typeof socket.getPeerX509Certificate === 'function'
      ? socket.getPeerX509Certificate()
      : undefined;
  if (!cert) return null;
  return {
    sha256: crypto.createHash('sha256').update(cert.raw).digest('hex'),
    pem: cert.toString(),
    authorized: socket.authorized,
  };
}

/** A TLS error that says the certificate is not the trusted one (not that the host is down). */
const CERTIFICATE_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/;

/**
 * Whether a wss:// server's certificate is its own: the one it signed into its welcome, or, when
 * it has no TLS of its own (a proxy in front), one the system's authorities vouch for. Null: fine.
 */
/**
 * TLS options that trust exactly the pinned certificate (its names do not matter: the server's
 * key vouches for it), or the system's authorities where the address has none pinned.
 */
function pinnedTrust(pin: TlsPin | null): { ca?: string; checkServerIdentity?: () => undefined } {
  return pin?.mode === 'pinned' ? { ca: pin.pem, checkServerIdentity: () => undefined } : {};
}

function tlsProblem(peer: PeerCertificate | null, vouched: string | null): string | null {
  if (!peer) return 'the server presented no certificate';
  if (vouched)
    return peer.sha256 === vouched
      ? null
      : "the certificate this connection got is not the server's own (someone may be between you and the server); not signing in";
  return peer.authorized
    ? null
    : "the server's certificate is not trusted by this computer and the server does not vouch for it; not signing in";
}

export class ServerConnection {
  private target: ConnectionTarget | null = null;
  /** Index into the target's servers (0: its url, then its fallbacks) now in use. */
  private serverIndex = 0;
  /** Servers tried in a row without a session: a whole round of them means wait (backoff). */
  private failedInRow = 0;
  private probeTimer: NodeJS.Timeout | null = null;
  /** A session token, shown at the upgrade only to the address that issued it. */
  private upgradeToken: { value: string; expiresAt: number; url: string } | null = null;
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
  /** The address being dialed now, the nonce sent in its hello and the certificate it showed. */
  private dialing: { url: string; clientNonce: string; peer: PeerCertificate | null } | null = null;
  /** An address whose pinned certificate failed: dialed next without trusting TLS alone. */
  private looseTlsFor: string | null = null;
  private current: ConnectionStatus = {
    state: 'offline',
    url: null,
    embedded: false,
    source: 'embedded',
    rttMs: null,
    serverId: null,
    fingerprint: null,
    serverName: null,
    identityProblem: null,
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

  /** The server the app means to be on (the first of its list), whichever one answers now. */
  targetUrl(): string | null {
    return this.target?.url ?? null;
  }

  fallbacks(): string[] {
    return this.target?.fallbacks ?? [];
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
      identityProblem: null,
      fingerprint: null,
      serverName: null,
    });
    this.open();
  }

  /**
   * A session token to present when the connection is (re)opened; the server refuses the upgrade
   * (401) when it is not valid, and the connection then opens without it and signs in anew.
   */
  useUpgradeToken(token: { value: string; expiresAt: number; url: string } | null): void {
    this.upgradeToken = token;
  }

  /**
   * The user accepts the identity a server showed instead of the trusted one: it is trusted from
   * now on at that address, and the connection tries again.
   */
  acceptIdentity(): { url: string; serverKey: string } | null {
    const problem = this.current.identityProblem;
    if (!problem) return null;
    this.update({ identityProblem: null, lastError: null });
    this.stopped = false;
    return { url: problem.url, serverKey: problem.serverKey };
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

  /**
   * How to reach the connected server over HTTP (files): its origin, and the TLS trust the
   * WebSocket uses (the pinned certificate); null while not online.
   */
  httpTarget(): {
    origin: string;
    tls: { ca?: string; checkServerIdentity?: () => undefined };
  } | null {
    const url = this.status().url;
    if (!url || !this.isOnline()) return null;
    const parsed = new URL(url);
    const origin = `${parsed.protocol === 'wss:' ? 'https:' : 'http:'}//${parsed.host}`;
    const pin = parsed.protocol === 'wss:' ? (this.options.tlsTrust?.get(url) ?? null) : null;
    return { origin, tls: pinnedTrust(pin) };
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
    // TLS: a certificate pinned here (or the system's authorities, for a server behind a proxy)
    // is checked before anything is sent; at first contact, or after the pinned certificate was
    // replaced, nothing secret is sent until the welcome proves the certificate is the server's.
    const secure = url.startsWith('wss:');
    const tlsPin = secure ? (this.options.tlsTrust?.get(url) ?? null) : null;
    const strict = !secure || (tlsPin !== null && this.looseTlsFor !== url);
    const tlsOptions = !secure ? {} : !strict ? { rejectUnauthorized: false } : pinnedTrust(tlsPin);
    // A token goes only to the address that issued it, over a connection known to reach it.
    const token =
      strict &&
      this.upgradeToken &&
      this.upgradeToken.url === url &&
      this.upgradeToken.expiresAt > Date.now() + 5000
        ? this.upgradeToken.value
        : null;
    const clientNonce = crypto.randomBytes(18).toString('base64url');
    const dialing = { url, clientNonce, peer: null as PeerCertificate | null };
    this.dialing = dialing;
    const socket = new WebSocket(url, {
      maxPayload: MAX_SERVER_FRAME_BYTES,
      handshakeTimeout: 5000,
      ...tlsOptions,
      ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
    });
    this.socket = socket;
    if (secure) socket.on('upgrade', (response) => (dialing.peer = peerCertificate(response)));
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
      this.send({
        t: 'hello',
        v: PROTOCOL_VERSION,
        client: this.options.clientInfo,
        dialed: dialedAddress(url),
        nonce: clientNonce,
      });
    });
    socket.on('message', (data) => {
      if (!welcomed && this.socket === socket) welcomed = true;
      this.onMessage(data.toString());
    });
    socket.on('error', (error) => {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (secure && strict && CERTIFICATE_ERROR.test(code)) {
        // Not the certificate trusted here: the next try lets the server vouch for a new one.
        this.looseTlsFor = url;
        this.options.logger.info('the certificate trusted here was not shown; asking the server', {
          url,
          code,
        });
      }
      if (!refusal) this.update({ lastError: describeSocketError(error, url) });
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
      case 'welcome': {
        const dialing = this.dialing;
        if (!dialing) return;
        const dialed = dialedAddress(dialing.url);
        // The server proves it holds the key it shows, for the address we dialed and our nonce.
        if (
          !verifyEd25519(
            frame.serverKey,
            serverProofText(dialed, dialing.clientNonce, frame.nonce, frame.tlsCert),
            frame.proof,
          )
        ) {
          this.options.logger.warn('the server could not prove its identity', { url: dialing.url });
          this.update({ lastError: 'the server could not prove its identity; not signing in' });
          this.socket?.terminate();
          return;
        }
        const secure = dialing.url.startsWith('wss:');
        const tlsWrong = secure ? tlsProblem(dialing.peer, frame.tlsCert) : null;
        if (tlsWrong) {
          this.options.logger.warn("the TLS certificate is not the server's own", {
            url: dialing.url,
          });
          this.update({ lastError: tlsWrong });
          this.socket?.terminate();
          return;
        }
        const check = this.options.checkIdentity(
          dialing.url,
          frame.serverKey,
          this.target?.url ?? dialing.url,
        );
        if (check.state === 'changed') {
          this.options.logger.warn('the server shows another identity than the one trusted', {
            url: dialing.url,
            expected: check.expected,
            shown: check.fingerprint,
          });
          const problem = {
            url: dialing.url,
            expected: check.expected,
            shown: check.fingerprint,
            serverKey: frame.serverKey,
          };
          if (this.serverIndex > 0) {
            // A fallback that is not the same server: skipped like one that is down.
            this.update({
              identityProblem: problem,
              lastError: `the fallback server ${dialing.url} is not the same server (its identity is ${check.fingerprint}); skipped`,
            });
            this.socket?.terminate();
            return;
          }
          // Refused in words, and no retrying until the user accepts it or picks another server.
          this.stopped = true;
          this.update({
            identityProblem: {
              url: dialing.url,
              expected: check.expected,
              shown: check.fingerprint,
              serverKey: frame.serverKey,
            },
            lastError: `the server at ${dialing.url} has a different identity (${check.fingerprint}) than the one trusted there (${check.expected})`,
          });
          this.teardown();
          this.update({ state: 'offline', rttMs: null });
          return;
        }
        if (secure && dialing.peer)
          this.options.tlsTrust?.set(
            dialing.url,
            frame.tlsCert
              ? { mode: 'pinned', pem: dialing.peer.pem, sha256: dialing.peer.sha256 }
              : { mode: 'ca' },
          );
        if (this.looseTlsFor === dialing.url) this.looseTlsFor = null;
        this.attempt = 0;
        this.failedInRow = 0;
        if (this.serverIndex > 0) this.startProbe();
        this.update({
          state: 'online',
          serverId: frame.serverId,
          fingerprint: check.fingerprint,
          serverName: frame.name,
          identityProblem: null,
          lastError: null,
        });
        this.startPing();
        const session: Welcome = { ...frame, dialed, clientNonce: dialing.clientNonce };
        for (const listener of this.sessionListeners) {
          try {
            listener(session);
          } catch (error) {
            this.options.logger.error('starting a session failed', { error });
          }
        }
        return;
      }
      case 'pong':
        this.update({ rttMs: Date.now() - frame.ts });
        return;
      case 'msg':
      case 'presence':
      case 'member':
      case 'room.changed':
      case 'typing':
      case 'read':
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
        // The handshake itself was refused (not this server, another protocol): try again later.
        if (frame.code === 'wrong_server' || frame.code === 'unsupported_version')
          this.socket?.terminate();
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
      // Only whether it answers: nothing is sent on it, so its certificate is not checked here.
      const probe = new WebSocket(primary, { handshakeTimeout: 3000, rejectUnauthorized: false });
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
