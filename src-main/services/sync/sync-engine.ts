/**
 * Owns the session with the server on top of the connection: signs in with the user's key (or
 * resumes with a token, refreshed before it runs out), catches every room up from the last seq
 * stored here, stores pushed messages/presence/membership, and runs the outbox. Every change is
 * reported through `onChange` so the hosts can tell the renderer.
 */
import type { Logger } from '../../../src-shared/log';
import {
  authChallengeText,
  type WireMessage,
  type WireRoom,
} from '../../../src-shared/protocol/entities';
import { MAX_HISTORY_PAGE } from '../../../src-shared/protocol/frames';
import type { LocalMessage, SyncPhase, SyncStatus } from '../../../src-shared/ipc/chat-types';
import type { IdentityKeystore } from '../identity/identity-keystore';
import type { MessageStore } from '../storage/message-store';
import { OutboxSender } from './outbox-sender';
import {
  ServerRequestError,
  type Push,
  type ServerConnection,
  type Welcome,
} from './server-connection';

export interface SyncChanges {
  messages(roomId: string, messages: LocalMessage[]): void;
  rooms(): void;
  /** Someone else is typing in a room (shown for TYPING_SHOWN_MS by the renderer). */
  typing(roomId: string, userId: string): void;
  status(status: SyncStatus): void;
  /** A message pushed live that was not here before (for notifications; catch-up is not live). */
  arrived?(message: WireMessage): void;
}

export class SyncEngine {
  private phase: SyncPhase = 'offline';
  private reporting: { again: boolean; done: Promise<void> } | null = null;
  private lastError: string | null = null;
  private welcome: Welcome | null = null;
  /** The session token, with the server (identity key and address) that issued it. */
  private token: { value: string; expiresAt: number; serverKey: string; url: string } | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  /** Bumped on every new session, so work from an older one stops touching state. */
  private session = 0;
  private readonly catchingUp = new Map<string, { again: boolean; done: Promise<void> }>();
  readonly outbox: OutboxSender;
  private readonly offs: (() => void)[] = [];
  private readonly signedInListeners = new Set<() => void>();
  private reportQueued = false;

  constructor(
    private readonly connection: ServerConnection,
    private readonly store: MessageStore,
    private readonly keystore: IdentityKeystore,
    private readonly changes: SyncChanges,
    private readonly logger: Logger,
  ) {
    this.outbox = new OutboxSender(
      store,
      connection,
      (message) => {
        changes.messages(message.roomId, [message]);
        changes.rooms();
        this.report();
      },
      (why) => this.restartSession(why),
      logger.child({ part: 'outbox' }),
    );
    this.offs.push(
      connection.onSession((welcome) => {
        this.welcome = welcome;
        // The rooms (and outbox) shown are this server's from now on.
        if (store.setServer(welcome.serverKey)) {
          changes.rooms();
          this.report();
        }
        void this.signIn();
      }),
      connection.onPush((push) => this.onPush(push)),
      connection.onStatus((status) => {
        if (status.state !== 'online') this.endSession();
      }),
    );
    if (!keystore.get()) this.phase = 'no_identity';
  }

  status(): SyncStatus {
    return { phase: this.phase, outbox: this.store.outboxSize(), lastError: this.lastError };
  }

  /** The server's HTTP origin, TLS trust and this session's token (files); null when not ready. */
  httpAccess(): { origin: string; token: string; tls: { ca?: string } } | null {
    const target = this.connection.httpTarget();
    if (!target || !this.token || !this.isReady()) return null;
    return { ...target, token: this.token.value };
  }

  isReady(): boolean {
    return this.phase === 'ready' || this.phase === 'syncing';
  }

  /**
   * The outbox grew (a message written, a retry): the status is pushed once per tick, so that the
   * count of waiting messages is current offline too, without an event per message of a burst.
   */
  outboxChanged(): void {
    if (this.reportQueued) return;
    this.reportQueued = true;
    setImmediate(() => {
      this.reportQueued = false;
      this.report();
    });
  }

  /** Called each time a session signs in (first start, every reconnect, a new server). */
  onSignedIn(listener: () => void): () => void {
    this.signedInListeners.add(listener);
    return () => this.signedInListeners.delete(listener);
  }

  /** The identity now exists (or its name changed): sign in on the open connection. */
  identityChanged(): void {
    this.setToken(null);
    if (this.welcome && this.connection.isOnline()) void this.signIn();
    else this.setPhase('offline');
  }

  /**
   * Fetches a room's messages after the last contiguous seq held here, until it is complete. A
   * request while one runs makes it go round once more (a push may have shown a newer gap).
   */
  catchUp(roomId: string): Promise<void> {
    const running = this.catchingUp.get(roomId);
    if (running) {
      running.again = true;
      return running.done;
    }
    const session = this.session;
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      do {
        entry.again = false;
        for (;;) {
          const seqs = this.store.seqs(roomId);
          if (!seqs || session !== this.session) return;
          const reply = await this.connection.request({
            t: 'history',
            roomId,
            afterSeq: seqs.synced,
            limit: MAX_HISTORY_PAGE,
          });
          if (session !== this.session) return;
          const stored = this.store.storeIncoming(reply.messages);
          if (stored.length) this.changes.messages(roomId, stored);
          if (!reply.more && reply.messages.length < MAX_HISTORY_PAGE) break;
        }
      } while (entry.again);
    })().finally(() => this.catchingUp.delete(roomId));
    this.catchingUp.set(roomId, entry);
    return entry.done;
  }

  /**
   * Tells the server how far I have read where it does not know yet (read offline, or read just
   * now). Positions only move forward there, so sending one twice is harmless; one run at a time,
   * and a call during a run makes it go round again.
   */
  reportReads(): Promise<void> {
    if (this.reporting) {
      this.reporting.again = true;
      return this.reporting.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      do {
        entry.again = false;
        if (!this.isReady()) return;
        for (const { roomId, seq } of this.store.unreportedReads()) {
          await this.connection.request({ t: 'read', roomId, seq });
          this.store.readReported(roomId, seq);
        }
      } while (entry.again);
    })()
      .catch((error: unknown) => this.logger.warn('reporting read positions failed', { error }))
      .finally(() => {
        this.reporting = null;
      });
    this.reporting = entry;
    return entry.done;
  }

  /** Replaces the local room list with the server's and catches every room up. */
  async syncRooms(): Promise<void> {
    const { rooms } = await this.connection.request({ t: 'rooms.list' });
    this.store.replaceRooms(rooms);
    this.changes.rooms();
    await Promise.all(rooms.map((room) => this.catchUp(room.id)));
  }

  /** Stores a room the server just handed us (created, joined, opened) and catches it up. */
  adoptRoom(room: WireRoom): void {
    this.store.upsertRoom(room);
    this.changes.rooms();
    void this.catchUp(room.id).catch((error) => this.logger.warn('catch-up failed', { error }));
  }

  stop(): void {
    for (const off of this.offs) off();
    this.endSession();
  }

  private async signIn(): Promise<void> {
    const identity = this.keystore.get();
    const welcome = this.welcome;
    if (!identity) return this.setPhase('no_identity');
    if (!welcome) return;
    const session = ++this.session;
    this.setPhase('signing_in');
    try {
      let authed;
      // A token is shown only to the server that issued it: same identity, proven just now.
      if (
        this.token &&
        this.token.serverKey === welcome.serverKey &&
        this.token.expiresAt > Date.now() + 5000
      ) {
        authed = await this.connection
          .request({ t: 'auth.token', token: this.token.value })
          .catch((error: unknown) => {
            if (error instanceof ServerRequestError && error.code !== 'offline') return null;
            throw error;
          });
      }
      authed ??= await this.connection.request({
        t: 'auth',
        publicKey: identity.publicKey,
        name: identity.displayName,
        signature: this.keystore.sign(
          authChallengeText({
            dialed: welcome.dialed,
            serverKey: welcome.serverKey,
            serverNonce: welcome.nonce,
            clientNonce: welcome.clientNonce,
          }),
        ),
      });
      if (session !== this.session) return;
      if (authed.userId !== identity.userId)
        this.logger.error('server derived another user id', { server: authed.userId });
      this.setToken({
        value: authed.token,
        expiresAt: authed.expiresAt,
        serverKey: welcome.serverKey,
        url: this.connection.status().url ?? '',
      });
      this.scheduleRefresh();
      this.setPhase('syncing');
      for (const listener of this.signedInListeners) listener();
      // The outbox does not wait for catch-up: acks and history are both idempotent by clientId.
      this.outbox.start();
      await this.syncRooms();
      if (session !== this.session) return;
      void this.reportReads();
      this.lastError = null;
      this.setPhase('ready');
    } catch (error) {
      if (session !== this.session) return;
      const message = error instanceof Error ? error.message : String(error);
      this.lastError = message;
      this.logger.warn('sign-in or sync failed', { error: message });
      if (error instanceof ServerRequestError && error.code === 'offline') return;
      // Retry the whole session shortly (the server may be restarting).
      setTimeout(() => session === this.session && void this.signIn(), 2000).unref();
    }
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (!this.token) return;
    const session = this.session;
    const delay = Math.max(1000, (this.token.expiresAt - Date.now()) * 0.8);
    this.refreshTimer = setTimeout(() => {
      if (session !== this.session) return;
      this.connection.request({ t: 'auth.refresh' }).then(
        (authed) => {
          if (this.token)
            this.setToken({ ...this.token, value: authed.token, expiresAt: authed.expiresAt });
          this.scheduleRefresh();
        },
        (error: unknown) => {
          this.logger.warn('token refresh failed; signing in again', { error });
          this.restartSession('token refresh failed');
        },
      );
    }, delay);
    this.refreshTimer.unref();
  }

  /** The session token, also shown at the next connection's upgrade (checked there). */
  private setToken(token: SyncEngine['token']): void {
    this.token = token;
    this.connection.useUpgradeToken(token);
  }

  private restartSession(why: string): void {
    this.lastError = why;
    this.setToken(null);
    this.outbox.stop();
    void this.signIn();
  }

  private endSession(): void {
    this.session++;
    this.outbox.stop();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    this.welcome = null;
    if (this.phase !== 'no_identity') this.setPhase('offline');
  }

  private onPush(push: Push): void {
    if (!this.isReady()) return; // catch-up after sign-in covers anything missed meanwhile
    const me = this.keystore.get()?.userId;
    switch (push.t) {
      case 'msg': {
        const { roomId, seq } = push.message;
        const seqs = this.store.seqs(roomId);
        if (!seqs) {
          void this.syncRooms().catch((error) => this.logger.warn('room sync failed', { error }));
          return;
        }
        const fresh = !this.store.has(push.message.clientId);
        const stored = this.store.storeIncoming([push.message]);
        if (stored.length) this.changes.messages(roomId, stored);
        if (fresh) this.changes.arrived?.(push.message);
        this.changes.rooms();
        // A gap means pushes were missed (they are not queued for us): fetch the range.
        if (seqs.synced < seq - 1) void this.catchUp(roomId).catch(() => undefined);
        this.report();
        return;
      }
      case 'presence':
        this.store.setPresence(push.userId, push.presence);
        this.changes.rooms();
        return;
      case 'member':
        if (push.member.userId === me && push.change === 'left') this.store.removeRoom(push.roomId);
        else if (push.member.userId === me && !this.store.seqs(push.roomId))
          // Joined in another session of mine: fetch the room (and its history) here too.
          void this.syncRooms().catch((error) => this.logger.warn('room sync failed', { error }));
        else this.store.memberChanged(push.roomId, push.change, push.member);
        this.changes.rooms();
        return;
      case 'room.changed':
        this.store.upsertRoom(push.room);
        this.changes.rooms();
        return;
      case 'typing':
        this.changes.typing(push.roomId, push.userId);
        return;
      case 'read':
        this.store.readBy(push.roomId, push.userId, push.seq);
        this.changes.rooms();
        return;
      default:
        return; // calls are the call service's
    }
  }

  private setPhase(phase: SyncPhase): void {
    if (phase === this.phase) return;
    this.phase = phase;
    this.report();
  }

  private report(): void {
    this.changes.status(this.status());
  }
}
