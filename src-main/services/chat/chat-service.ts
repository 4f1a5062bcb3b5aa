/**
 * What the renderer asks of chat: identity, rooms, messages, search. Local first: sending and
 * reading work offline; what needs the server (creating, joining, leaving rooms, fetching older
 * history) says so with an `offline` error the UI can show.
 */
import { ApiError } from '../../../src-shared/ipc/api-error';
import type {
  Identity,
  LocalMessage,
  MessagePage,
  NotifyLevel,
  RoomSummary,
  SearchHit,
} from '../../../src-shared/ipc/chat-types';
import { inviteCodeFrom, type OwnPresence } from '../../../src-shared/protocol/entities';
import type { IdentityKeystore } from '../identity/identity-keystore';
import type { MessageAction, MessageStore } from '../storage/message-store';
import type { ServerConnection } from '../sync/server-connection';
import { viaServer } from '../sync/server-errors';
import type { SyncChanges, SyncEngine } from '../sync/sync-engine';

export class ChatService {
  constructor(
    private readonly keystore: IdentityKeystore,
    private readonly store: MessageStore,
    private readonly connection: ServerConnection,
    private readonly sync: SyncEngine,
    private readonly changes: SyncChanges,
    private readonly onIdentity: (identity: Identity) => void,
  ) {}

  identity(): Identity | null {
    return this.keystore.get();
  }

  /** Creates the identity on first start (or renames it) and signs in when connected. */
  createIdentity(displayName: string): Identity {
    const identity = this.keystore.create(displayName);
    this.onIdentity(identity);
    this.sync.identityChanged();
    return identity;
  }

  rooms(): RoomSummary[] {
    return this.store.rooms();
  }

  async createRoom(name: string): Promise<RoomSummary> {
    const { room } = await this.needSession(() =>
      this.connection.request({ t: 'room.create', name }),
    );
    this.sync.adoptRoom(room);
    return this.store.room(room.id)!;
  }

  async joinRoom(codeOrLink: string): Promise<RoomSummary> {
    const code = inviteCodeFrom(codeOrLink);
    if (!code) throw new ApiError('invalid_input', 'That is not an invite code or link.');
    const { room } = await this.needSession(() =>
      this.connection.request({ t: 'room.join', code }),
    );
    this.sync.adoptRoom(room);
    return this.store.room(room.id)!;
  }

  /** Accepts a direct conversation request from someone who shares no room, or blocks them. */
  async respondToRequest(roomId: string, accept: boolean): Promise<RoomSummary | null> {
    const { room } = await this.needSession(() =>
      this.connection.request({ t: 'direct.respond', roomId, accept }),
    );
    if (!accept) {
      this.store.removeRoom(roomId);
      this.changes.rooms();
      return null;
    }
    this.sync.adoptRoom(room);
    return this.store.room(room.id)!;
  }

  /** Room owner only: the room gets a new invite code and the old one stops working. */
  async resetInvite(roomId: string): Promise<RoomSummary> {
    const { room } = await this.needSession(() =>
      this.connection.request({ t: 'room.invite.reset', roomId }),
    );
    this.sync.adoptRoom(room);
    return this.store.room(room.id)!;
  }

  async openDirect(userId: string): Promise<RoomSummary> {
    const { room } = await this.needSession(() =>
      this.connection.request({ t: 'direct.open', userId }),
    );
    this.sync.adoptRoom(room);
    return this.store.room(room.id)!;
  }

  async leaveRoom(roomId: string): Promise<{ roomId: string }> {
    await this.needSession(() => this.connection.request({ t: 'room.leave', roomId }));
    this.store.removeRoom(roomId);
    this.changes.rooms();
    return { roomId };
  }

  /** Writes the message (a reply when `replyTo` is given) as pending and wakes the outbox. */
  send(roomId: string, body: string, clientId?: string, replyTo?: string): LocalMessage {
    if (!this.keystore.get()) throw new ApiError('no_identity', 'Pick a display name first.');
    if (!this.store.seqs(roomId)) throw new ApiError('not_found', 'No such room here.');
    if (replyTo && !this.store.textMessage(roomId, replyTo))
      throw new ApiError('not_found', 'The message you reply to is not in this room.');
    const message = this.store.addPending(roomId, body, clientId, replyTo ? { replyTo } : {});
    this.changes.messages(roomId, [message]);
    this.changes.rooms();
    this.sync.outboxChanged();
    this.sync.outbox.kick();
    return message;
  }

  /** A new text for one's own message; like a message, it waits offline and goes in order. */
  edit(clientId: string, body: string): LocalMessage {
    const target = this.target(clientId);
    if (target.senderId !== this.keystore.get()?.userId)
      throw new ApiError('forbidden', 'Only its sender can edit a message.');
    return this.act(target, body, 'edit');
  }

  /** Deletes a message for everyone: one's own, or any in a room one owns. */
  delete(clientId: string): LocalMessage {
    const target = this.target(clientId);
    const me = this.keystore.get()?.userId;
    if (target.senderId !== me && this.store.room(target.roomId)?.ownerId !== me)
      throw new ApiError('forbidden', "Only its sender or the room's owner can delete a message.");
    return this.act(target, '', 'delete');
  }

  react(clientId: string, emoji: string, on: boolean): LocalMessage {
    return this.act(this.target(clientId), emoji, on ? 'react' : 'unreact');
  }

  private target(clientId: string): LocalMessage {
    if (!this.keystore.get()) throw new ApiError('no_identity', 'Pick a display name first.');
    const target = this.store.byClientId(clientId);
    if (!target) throw new ApiError('not_found', 'No such message.');
    if (target.deleted) throw new ApiError('conflict', 'That message was deleted.');
    return target;
  }

  private act(target: LocalMessage, body: string, kind: MessageAction['kind']): LocalMessage {
    const message = this.store.addPending(target.roomId, body, undefined, {
      action: { kind, target: target.clientId },
    });
    this.changes.messages(target.roomId, [message]);
    this.sync.outboxChanged();
    this.sync.outbox.kick();
    return message;
  }

  /** Tells the room's others that I am typing; nothing when offline (it would be stale anyway). */
  typing(roomId: string): null {
    if (this.sync.isReady())
      void this.connection.request({ t: 'typing', roomId }).catch(() => undefined);
    return null;
  }

  retry(clientId: string): LocalMessage {
    const message = this.store.retry(clientId);
    if (!message) throw new ApiError('not_found', 'No such message.');
    this.changes.messages(message.roomId, [message]);
    this.sync.outboxChanged();
    this.sync.outbox.kick(true);
    return message;
  }

  /**
   * A page of a room's history, newest last: from the local store first; what it lacks comes from
   * the server (and is stored), or the page is marked partial when offline.
   */
  async page(roomId: string, beforeSeq: number | undefined, limit: number): Promise<MessagePage> {
    let messages = this.store.page(roomId, beforeSeq, limit);
    const sentSeqs = messages.filter((m) => m.seq !== null).map((m) => m.seq!);
    const seqs = this.store.seqs(roomId);
    let oldest = sentSeqs.length
      ? Math.min(...sentSeqs)
      : (beforeSeq ?? (seqs ? seqs.synced + 1 : 1));
    let partial = false;
    const missing = limit - messages.length;
    if (missing > 0 && oldest > 1) {
      if (this.sync.isReady()) {
        try {
          const reply = await this.connection.request({
            t: 'history',
            roomId,
            beforeSeq: oldest,
            limit: missing,
          });
          this.store.storeIncoming(reply.messages);
          // Actions take seqs too: the page shows the messages among them, as they now read.
          const older = reply.messages
            .filter((m) => (m.kind ?? 'text') === 'text')
            .map((m) => this.store.byClientId(m.clientId))
            .filter((m): m is LocalMessage => m !== null);
          messages = [...older, ...messages];
          if (reply.messages.length) oldest = Math.min(oldest, ...reply.messages.map((m) => m.seq));
          if (reply.messages.length < missing && !reply.more) oldest = 1; // nothing older
        } catch {
          partial = true;
        }
      } else partial = true;
    }
    return { messages, hasMore: oldest > 1, partial };
  }

  markRead(roomId: string): null {
    this.store.markRead(roomId);
    this.changes.rooms();
    void this.sync.reportReads();
    return null;
  }

  setNotify(roomId: string, level: NotifyLevel): RoomSummary {
    if (!this.store.setNotify(roomId, level)) throw new ApiError('not_found', 'No such room here.');
    this.changes.rooms();
    return this.store.room(roomId)!;
  }

  draft(roomId: string): string {
    return this.store.draft(roomId);
  }

  saveDraft(roomId: string, body: string): null {
    this.store.saveDraft(roomId, body);
    return null;
  }

  search(query: string, limit: number): SearchHit[] {
    return this.store.search(query, limit);
  }

  async setPresence(presence: OwnPresence): Promise<null> {
    if (this.sync.isReady())
      await viaServer(() => this.connection.request({ t: 'presence.set', presence }));
    return null;
  }

  private needSession<T>(work: () => Promise<T>): Promise<T> {
    if (!this.keystore.get()) throw new ApiError('no_identity', 'Pick a display name first.');
    if (!this.sync.isReady())
      throw new ApiError('offline', 'You are offline; this needs the server.');
    return viaServer(work);
  }
}
