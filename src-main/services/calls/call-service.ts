/**
 * Calls as main sees them: the running calls of the user's rooms (kept from the server's
 * pushes), the call this app is in, and the relay of signals between the renderer and the
 * server. Main owns the server connection, so the call survives a renderer reload (the renderer
 * asks what it was in and joins again with a fresh session) and a lost connection (on the next
 * sign-in main resumes its place; media between peers keeps flowing meanwhile).
 */
import { ApiError } from '../../../src-shared/ipc/api-error';
import type {
  CallMedia,
  CallSignal,
  CallsSnapshot,
  CallSignalEvent,
  WireCall,
} from '../../../src-shared/ipc/call-types';
import type { Logger } from '../../../src-shared/log';
import type { ModerationAction } from '../../../src-shared/protocol/calls';
import type { IdentityKeystore } from '../identity/identity-keystore';
import type { Push, ServerConnection } from '../sync/server-connection';
import { viaServer } from '../sync/server-errors';
import type { SyncEngine } from '../sync/sync-engine';

export interface CallServiceEvents {
  changed(snapshot: CallsSnapshot): void;
  signal(event: CallSignalEvent): void;
}

type Current = NonNullable<CallsSnapshot['current']>;

export class CallService {
  private readonly active = new Map<string, WireCall>();
  private current: Current | null = null;
  private lastChange: CallsSnapshot['change'] = null;
  private declined: string[] = [];
  private readonly offs: (() => void)[];

  constructor(
    private readonly connection: ServerConnection,
    private readonly sync: SyncEngine,
    private readonly keystore: IdentityKeystore,
    private readonly events: CallServiceEvents,
    private readonly logger: Logger,
  ) {
    this.offs = [
      connection.onPush((push) => this.onPush(push)),
      sync.onSignedIn(() => void this.afterSignIn()),
    ];
  }

  snapshot(): CallsSnapshot {
    return {
      me: this.keystore.get()?.userId ?? null,
      active: [...this.active.values()],
      current: this.current,
      declined: this.declined,
      change: this.lastChange,
    };
  }

  /** Joins (or starts) the room's call; a new session makes the peers reconnect to this one. */
  async join(roomId: string, media: CallMedia, session: string): Promise<WireCall> {
    const { call } = await this.ask(() =>
      this.connection.request({ t: 'call.join', roomId, media, session }),
    );
    if (this.current && this.current.callId !== call.callId)
      this.logger.info('left a call by joining another', { callId: this.current.callId });
    this.current = { callId: call.callId, roomId, session, media };
    this.remember(call, { callId: call.callId, kind: 'joined', userId: this.me() });
    return call;
  }

  async leave(callId: string): Promise<null> {
    const mine = this.current?.callId === callId;
    if (mine) this.current = null;
    try {
      if (this.sync.isReady())
        await this.ask(() => this.connection.request({ t: 'call.leave', callId }));
    } catch (error) {
      // Leaving locally always works; the server drops us after its grace period anyway.
      if (!(error instanceof ApiError) || error.code !== 'conflict') throw error;
    } finally {
      if (mine) this.emit();
    }
    return null;
  }

  async decline(callId: string): Promise<null> {
    this.declined = [...this.declined.slice(-19), callId];
    this.emit();
    await this.ask(() => this.connection.request({ t: 'call.decline', callId }));
    return null;
  }

  async signal(callId: string, to: string, signal: CallSignal): Promise<null> {
    await this.ask(() => this.connection.request({ t: 'call.signal', callId, to, signal }));
    return null;
  }

  async media(callId: string, media: CallMedia): Promise<null> {
    if (this.current?.callId === callId) this.current = { ...this.current, media };
    await this.ask(() => this.connection.request({ t: 'call.media', callId, media }));
    return null;
  }

  async record(callId: string, recording: boolean): Promise<null> {
    await this.ask(() => this.connection.request({ t: 'call.record', callId, recording }));
    return null;
  }

  async moderate(callId: string, userId: string, action: ModerationAction): Promise<null> {
    await this.ask(() => this.connection.request({ t: 'call.moderate', callId, userId, action }));
    return null;
  }

  /** The call's room, for recordings and notifications. */
  callOf(callId: string): WireCall | null {
    for (const call of this.active.values()) if (call.callId === callId) return call;
    return null;
  }

  stop(): void {
    for (const off of this.offs) off();
  }

  private me(): string | undefined {
    return this.keystore.get()?.userId;
  }

  private onPush(push: Push): void {
    if (push.t === 'call.signal') {
      // The server relays signals only to the connection that joined the call, so this app
      // asked for it (possibly with the join's answer still on its way): always forward.
      this.events.signal({ callId: push.callId, from: push.from, signal: push.signal });
      return;
    }
    if (push.t !== 'call.state') return;
    const { call, change } = push;
    const me = this.me();
    if (this.current?.callId === call.callId && !call.participants.some((p) => p.userId === me)) {
      this.logger.info('no longer in the call', { callId: call.callId, why: change.kind });
      this.current = null;
    }
    this.remember(call, { callId: call.callId, ...change });
  }

  private remember(call: WireCall, change: NonNullable<CallsSnapshot['change']>): void {
    if (call.participants.length === 0) this.active.delete(call.roomId);
    else this.active.set(call.roomId, call);
    this.lastChange = change;
    this.emit();
  }

  /** After every sign-in: learn the running calls and take our place back in ours. */
  private async afterSignIn(): Promise<void> {
    try {
      const { calls } = await this.connection.request({ t: 'calls.active' });
      this.active.clear();
      for (const call of calls) this.active.set(call.roomId, call);
      this.lastChange = null;
      const current = this.current;
      if (current) {
        try {
          await this.join(current.roomId, current.media, current.session);
          this.logger.info('resumed the call after reconnecting', { roomId: current.roomId });
        } catch (error) {
          this.logger.warn('could not resume the call', { error });
          if (this.current === current) this.current = null;
        }
      }
      this.emit();
    } catch (error) {
      this.logger.warn('could not load running calls', { error });
    }
  }

  private emit(): void {
    this.events.changed(this.snapshot());
  }

  private async ask<T>(work: () => Promise<T>): Promise<T> {
    if (!this.keystore.get()) throw new ApiError('no_identity', 'Pick a display name first.');
    if (!this.sync.isReady())
      throw new ApiError('offline', 'You are offline; calls need the server.');
    return viaServer(work);
  }
}
