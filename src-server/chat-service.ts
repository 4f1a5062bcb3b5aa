/**
 * Everything after the handshake: authentication, rooms and membership (checked on every
 * operation), message acceptance with per-room sequence numbers, history, presence, and the
 * fan-out of pushes to every connection of every member.
 */
import type { Logger } from '../src-shared/log';
import {
  authChallengeText,
  type Presence,
  type WireFile,
  type WireMember,
  type WireMessage,
  type WireRoom,
} from '../src-shared/protocol/entities';
import { checkSend, HISTORY_REPLY_BUDGET_BYTES } from '../src-shared/protocol/frames';
import type {
  ChatRequest,
  ServerErrorCode,
  ServerFrame,
  ServerReply,
} from '../src-shared/protocol/frames';
import { userIdFromPublicKey, verifySignature, type TokenIssuer } from './auth';
import type { ServerStore, StoredRoom } from './server-store';
import { BucketMap } from './bucket-map';
import { keyFingerprint } from './server-identity';

/** One client connection, as the chat service sees it. */
export interface ChatConnection {
  readonly nonce: string;
  /** From the hello: the address the client dialed (one of this server's) and its nonce. */
  dialed: string;
  clientNonce: string;
  /** The remote address (limits on failed joins and new identities count per address too). */
  readonly address: string;
  userId: string | null;
  tokenExpiresAt: number;
  presence: Exclude<Presence, 'offline'>;
  /** Set by the call service while this connection is in a call; wins over `presence`. */
  inCall: boolean;
  send(frame: ServerFrame): void;
  /** Sends an already serialised frame (fan-out serialises once for every recipient). */
  sendText(text: string): void;
}

/**
 * The messages whose JSON fits the budget (at least one): the oldest ones when reading forward,
 * the newest ones when paging back, so that a page never leaves a hole next to its cursor.
 */
function withinBudget(messages: WireMessage[], budget: number, keepNewest: boolean): WireMessage[] {
  const ordered = keepNewest ? [...messages].reverse() : messages;
  let used = 0;
  let kept = ordered.length;
  for (let i = 0; i < ordered.length; i++) {
    used += JSON.stringify(ordered[i]).length + 1;
    if (used > budget && i > 0) {
      kept = i;
      break;
    }
  }
  return keepNewest ? messages.slice(messages.length - kept) : messages.slice(0, kept);
}

export interface ChatCounters {
  failedJoins: number;
  joinsRateLimited: number;
  refusedNewIdentities: number;
}

export const DEFAULT_CHAT_LIMITS = {
  failedJoinsBurst: 5,
  failedJoinsPerMinute: 5,
  newIdentitiesBurst: 10,
  newIdentitiesPerHour: 10,
};

export interface ChatServiceOptions {
  now?: () => number;
  /** Administrators named by the operator (besides those in the store). */
  admins?: readonly string[];
  /** With no administrator yet, the first identity to register becomes one. */
  firstUserIsAdmin?: boolean;
  limits?: Partial<typeof DEFAULT_CHAT_LIMITS>;
  counters?: ChatCounters;
}

export class RequestError extends Error {
  constructor(
    readonly code: ServerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class ChatService {
  private readonly online = new Map<string, Set<ChatConnection>>();
  /** Members per room, kept in memory for fan-out; loaded on first use, updated on join/leave. */
  private readonly roomMembers = new Map<string, Set<string>>();

  private readonly leftRoomListeners = new Set<(roomId: string, userId: string) => void>();

  /** Called after someone leaves a room (the call service takes them out of its call). */
  onLeftRoom(listener: (roomId: string, userId: string) => void): void {
    this.leftRoomListeners.add(listener);
  }

  /** Whether a session token is genuine and current (the WebSocket upgrade checks it). */
  checkToken(token: string): boolean {
    return this.tokens.check(token).ok;
  }

  private readonly now: () => number;
  /** Wrong invite codes, per identity and per address (an address gets four identities' worth). */
  private readonly failedJoins: BucketMap;
  private readonly failedJoinsByAddress: BucketMap;
  /** Registrations of new identities per address. */
  private readonly newIdentities: BucketMap;

  constructor(
    private readonly store: ServerStore,
    private readonly tokens: TokenIssuer,
    /** This server's public key (raw, base64): sign-ins must be made for it. */
    private readonly serverKey: string,
    private readonly logger: Logger,
    private readonly options: ChatServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    const limits = { ...DEFAULT_CHAT_LIMITS, ...options.limits };
    this.failedJoins = new BucketMap(limits.failedJoinsBurst, limits.failedJoinsPerMinute / 60);
    this.failedJoinsByAddress = new BucketMap(
      limits.failedJoinsBurst * 4,
      (limits.failedJoinsPerMinute * 4) / 60,
    );
    this.newIdentities = new BucketMap(
      limits.newIdentitiesBurst,
      limits.newIdentitiesPerHour / 3600,
    );
  }

  private count(counter: keyof ChatCounters): void {
    if (this.options.counters) this.options.counters[counter]++;
  }

  /** Answers one request; a refusal is thrown as RequestError and becomes an error frame. */
  handle(conn: ChatConnection, frame: ChatRequest): ServerReply {
    const rid = frame.rid;
    switch (frame.t) {
      case 'auth': {
        // Bound to this server's key, the address the client dialed here (checked at hello) and
        // both nonces of this connection: a signature made for another server is useless here.
        const text = authChallengeText({
          dialed: conn.dialed,
          serverKey: this.serverKey,
          serverNonce: conn.nonce,
          clientNonce: conn.clientNonce,
        });
        if (!verifySignature(frame.publicKey, text, frame.signature))
          throw new RequestError('auth_failed', 'signature does not match the challenge');
        const userId = userIdFromPublicKey(frame.publicKey);
        // Throwaway keys are cheap: one address may register only so many new identities.
        if (!this.store.knowsKey(frame.publicKey) && !this.newIdentities.take(conn.address)) {
          this.count('refusedNewIdentities');
          throw new RequestError(
            'rate_limited',
            'too many new identities from this address; try again later',
          );
        }
        const isNew = !this.store.knowsKey(frame.publicKey);
        const user = this.store.upsertUser(userId, frame.publicKey, frame.name);
        if (
          isNew &&
          this.options.firstUserIsAdmin &&
          !this.options.admins?.length &&
          this.store.adminCount() === 0
        ) {
          this.store.addAdmin(user.userId);
          this.logger.info('the first identity administers this server', { userId: user.userId });
        }
        return this.signIn(conn, user.userId, user.name, rid);
      }
      case 'auth.token': {
        const check = this.tokens.check(frame.token);
        if (!check.ok)
          throw new RequestError(
            check.reason === 'expired' ? 'token_expired' : 'auth_failed',
            `token ${check.reason}`,
          );
        const user = this.store.user(check.userId);
        if (!user) throw new RequestError('auth_failed', 'unknown user');
        return this.signIn(conn, user.userId, user.name, rid);
      }
      case 'auth.refresh': {
        const userId = this.requireUser(conn);
        const { token, expiresAt } = this.tokens.issue(userId);
        conn.tokenExpiresAt = expiresAt;
        return {
          t: 'authed',
          rid,
          userId,
          name: this.store.user(userId)!.name,
          token,
          expiresAt,
          admin: this.isAdmin(userId),
        };
      }
      case 'rooms.list': {
        const userId = this.requireUser(conn);
        return {
          t: 'rooms',
          rid,
          rooms: this.store.roomsOf(userId).map((r) => this.wireRoom(r)),
        };
      }
      case 'room.create': {
        const userId = this.requireUser(conn);
        const room = this.store.createRoom(userId, frame.name);
        this.memberSet(room.id).add(userId);
        return { t: 'room', rid, room: this.wireRoom(room) };
      }
      case 'room.join': {
        const userId = this.requireUser(conn);
        // Someone who keeps trying wrong codes is guessing: refuse every join for a while.
        if (!this.failedJoins.has(userId, 1) || !this.failedJoinsByAddress.has(conn.address, 1)) {
          this.count('joinsRateLimited');
          throw new RequestError(
            'rate_limited',
            'too many wrong invite codes; wait a minute before trying again',
          );
        }
        const room = this.store.roomByInvite(frame.code);
        if (!room) {
          this.count('failedJoins');
          this.failedJoins.take(userId);
          this.failedJoinsByAddress.take(conn.address);
          if (this.store.inviteRevoked(frame.code))
            throw new RequestError(
              'invite_revoked',
              "this invite code was revoked by the room's owner; ask them for a new one",
            );
          throw new RequestError('bad_invite', 'no room has this invite code');
        }
        if (this.store.join(room.id, userId)) {
          this.memberSet(room.id).add(userId);
          this.pushMember(room.id, userId, 'joined');
        }
        return { t: 'room', rid, room: this.wireRoom(room) };
      }
      case 'room.invite.reset': {
        const userId = this.requireUser(conn);
        this.requireMember(frame.roomId, userId);
        if (this.store.ownerOf(frame.roomId) !== userId)
          throw new RequestError('forbidden', 'only the room owner can make a new invite code');
        const room = this.store.resetInvite(frame.roomId);
        // Every member's app shows the room's code: they get the new one.
        this.fanOut(frame.roomId, { t: 'room.changed', room: this.wireRoom(room) });
        return { t: 'room', rid, room: this.wireRoom(room) };
      }
      case 'direct.open': {
        const userId = this.requireUser(conn);
        const other = frame.userId;
        if (other === userId)
          throw new RequestError('no_such_user', 'a direct conversation needs another person');
        if (!this.store.user(other)) throw new RequestError('no_such_user', 'unknown user');
        const existing = this.store.directRoomId(userId, other);
        const request = existing ? this.store.directRequest(existing) : null;
        if (request?.state === 'blocked') {
          if (request.from === userId)
            throw new RequestError('forbidden', 'this person does not accept messages from you');
          // The one who blocked opens it again: that lifts the block.
          this.store.setDirectRequest(existing!, request.from, request.to, 'accepted');
        }
        // Someone who shares no room with the other only asks: a name is not an identity.
        const asks = !existing && !this.store.shareRoom(userId, other);
        const room = this.store.openDirect(userId, other, '');
        if (asks) this.store.setDirectRequest(room.id, userId, other, 'pending');
        const members = this.memberSet(room.id);
        members.add(userId);
        members.add(other);
        if (request?.state === 'blocked') this.pushRoom(room.id);
        return { t: 'room', rid, room: this.wireRoom(room) };
      }
      case 'direct.respond': {
        const userId = this.requireUser(conn);
        const request = this.store.directRequest(frame.roomId);
        if (!request || request.to !== userId)
          throw new RequestError('forbidden', 'there is no request to you in this conversation');
        if (frame.accept) {
          this.requireMember(frame.roomId, userId);
          this.store.setDirectRequest(frame.roomId, request.from, request.to, 'accepted');
          this.pushRoom(frame.roomId);
        } else {
          // Blocked: the sender's messages are refused, and the conversation leaves this list.
          this.store.setDirectRequest(frame.roomId, request.from, request.to, 'blocked');
          if (this.membersOf(frame.roomId).has(userId)) {
            this.store.leave(frame.roomId, userId);
            this.memberSet(frame.roomId).delete(userId);
            this.pushMember(frame.roomId, userId, 'left');
          }
          this.pushRoom(frame.roomId);
        }
        const room = this.store.room(frame.roomId)!;
        return { t: 'room', rid, room: this.wireRoom(room) };
      }
      case 'room.leave': {
        const userId = this.requireUser(conn);
        this.requireMember(frame.roomId, userId);
        this.store.leave(frame.roomId, userId);
        this.memberSet(frame.roomId).delete(userId);
        this.pushMember(frame.roomId, userId, 'left');
        for (const listener of this.leftRoomListeners) listener(frame.roomId, userId);
        return { t: 'left', rid, roomId: frame.roomId };
      }
      case 'msg.send': {
        const userId = this.requireUser(conn);
        const target = this.requireMember(frame.roomId, userId);
        if (target.kind === 'direct') {
          const request = this.store.directRequest(frame.roomId);
          if (request?.state === 'blocked')
            throw new RequestError('forbidden', 'this person does not accept messages from you');
          // Replying to a request accepts it.
          if (request?.state === 'pending' && request.to === userId) {
            this.store.setDirectRequest(frame.roomId, request.from, request.to, 'accepted');
            this.pushRoom(frame.roomId);
          }
        }
        const problem = checkSend(frame);
        if (problem) throw new RequestError('malformed_frame', problem);
        if (!this.store.sentBefore(userId, frame.clientId)) {
          if (frame.after && !this.store.sentBefore(userId, frame.after))
            throw new RequestError('out_of_order', 'the entry sent before this one is not stored');
          this.checkAction(frame, userId);
        }
        const files = frame.files?.length ? this.checkFiles(frame.files, userId) : undefined;
        const result = this.store.accept(frame.roomId, userId, frame.clientId, frame.body, {
          ...frame,
          files,
        });
        // A duplicate was fanned out when first stored; receivers that missed it catch up by seq.
        if (!result.duplicate) this.fanOut(frame.roomId, { t: 'msg', message: result.message });
        const { seq, at, roomId, clientId } = result.message;
        return { t: 'ack', rid, roomId, clientId, seq, at, duplicate: result.duplicate };
      }
      case 'history': {
        const userId = this.requireUser(conn);
        const room = this.requireMember(frame.roomId, userId);
        const found = this.store.history(frame.roomId, frame, frame.limit);
        const messages = withinBudget(
          found,
          HISTORY_REPLY_BUDGET_BYTES,
          frame.afterSeq === undefined,
        );
        return {
          t: 'history',
          rid,
          roomId: frame.roomId,
          messages,
          lastSeq: room.lastSeq,
          more: messages.length < found.length,
        };
      }
      case 'typing': {
        const userId = this.requireUser(conn);
        this.requireMember(frame.roomId, userId);
        const text = JSON.stringify({ t: 'typing', roomId: frame.roomId, userId });
        for (const member of this.membersOf(frame.roomId)) {
          if (member === userId) continue;
          for (const other of this.online.get(member) ?? []) other.sendText(text);
        }
        return { t: 'ok', rid };
      }
      case 'read': {
        const userId = this.requireUser(conn);
        this.requireMember(frame.roomId, userId);
        const seq = this.store.markRead(frame.roomId, userId, frame.seq);
        if (seq !== null)
          this.fanOut(frame.roomId, { t: 'read', roomId: frame.roomId, userId, seq });
        return { t: 'ok', rid };
      }
      case 'presence.set': {
        const userId = this.requireUser(conn);
        const before = this.presenceOf(userId);
        conn.presence = frame.presence;
        if (this.presenceOf(userId) !== before) this.pushPresence(userId);
        return { t: 'presence.ok', rid };
      }
    }
  }

  /** Forgets a closed connection; its user goes offline when it was their last one. */
  disconnected(conn: ChatConnection): void {
    const userId = conn.userId;
    if (!userId) return;
    const set = this.online.get(userId);
    set?.delete(conn);
    if (set && set.size === 0) {
      this.online.delete(userId);
      this.pushPresence(userId);
    }
  }

  onlineUsers(): number {
    return this.online.size;
  }

  private signIn(conn: ChatConnection, userId: string, name: string, rid: number) {
    if (conn.userId && conn.userId !== userId)
      throw new RequestError('auth_failed', 'this connection belongs to another user');
    const { token, expiresAt } = this.tokens.issue(userId);
    const first = !this.online.has(userId);
    conn.userId = userId;
    conn.tokenExpiresAt = expiresAt;
    let set = this.online.get(userId);
    if (!set) this.online.set(userId, (set = new Set()));
    set.add(conn);
    if (first) this.pushPresence(userId);
    this.logger.info('user signed in', { userId });
    return {
      t: 'authed' as const,
      rid,
      userId,
      name,
      token,
      expiresAt,
      admin: this.isAdmin(userId),
    };
  }

  /** Whether the user administers this server (named by the operator, or in the store). */
  isAdmin(userId: string): boolean {
    return (this.options.admins?.includes(userId) ?? false) || this.store.isAdmin(userId);
  }

  /** The signed-in user of the connection, or a refusal. */
  requireUser(conn: ChatConnection): string {
    if (!conn.userId) throw new RequestError('unauthenticated', 'authenticate first');
    if (conn.tokenExpiresAt <= this.now())
      throw new RequestError('token_expired', 'the session token expired; refresh or sign in');
    return conn.userId;
  }

  /**
   * Who may do what to a message: edit only one's own, delete one's own (the room's owner any),
   * react to any; a deleted message takes no edit, reaction or reply. What is named must be a
   * message of the same room.
   */
  private checkAction(frame: Extract<ChatRequest, { t: 'msg.send' }>, userId: string): void {
    if (frame.replyTo) {
      const original = this.store.messageRef(frame.roomId, frame.replyTo);
      if (!original || original.deleted)
        throw new RequestError('no_such_message', 'the message replied to is not in this room');
    }
    const kind = frame.kind ?? 'text';
    if (kind === 'text' || !frame.target) return;
    const target = this.store.messageRef(frame.roomId, frame.target);
    if (!target) throw new RequestError('no_such_message', 'no such message in this room');
    if (kind === 'edit' && target.senderId !== userId)
      throw new RequestError('forbidden', 'only its sender can edit a message');
    if (
      kind === 'delete' &&
      target.senderId !== userId &&
      this.store.ownerOf(frame.roomId) !== userId
    )
      throw new RequestError(
        'forbidden',
        "only its sender or the room's owner can delete a message",
      );
    if (kind !== 'delete' && target.deleted)
      throw new RequestError('no_such_message', 'that message was deleted');
  }

  /**
   * A message's files must be on the server and the sender's to attach (uploaded whole, or seen in
   * one of their rooms); the type and size are the server's finding, not the sender's say.
   */
  private checkFiles(files: WireFile[], userId: string): WireFile[] {
    return files.map((file) => {
      for (const sha of file.thumb ? [file.sha256, file.thumb] : [file.sha256])
        if (!this.store.mayAttach(sha, userId))
          throw new RequestError('no_such_file', 'upload the file before sending it');
      const blob = this.store.blob(file.sha256)!;
      return { ...file, size: blob.size, mime: blob.mime };
    });
  }

  /** The user a session token belongs to, or null (HTTP requests for files). */
  userForToken(token: string): string | null {
    const check = this.tokens.check(token);
    return check.ok ? check.userId : null;
  }

  requireMember(roomId: string, userId: string): StoredRoom {
    const room = this.store.room(roomId);
    if (!room) throw new RequestError('no_such_room', 'no such room');
    if (!this.membersOf(roomId).has(userId))
      throw new RequestError('not_member', 'you are not a member of this room');
    return room;
  }

  membersOf(roomId: string): ReadonlySet<string> {
    return this.memberSet(roomId);
  }

  private memberSet(roomId: string): Set<string> {
    let set = this.roomMembers.get(roomId);
    if (!set) {
      set = new Set(this.store.members(roomId).map((m) => m.userId));
      this.roomMembers.set(roomId, set);
    }
    return set;
  }

  private presenceOf(userId: string): Presence {
    const conns = this.online.get(userId);
    if (!conns || conns.size === 0) return 'offline';
    // The most present of a user's connections wins: a call anywhere, else online anywhere.
    let best: Presence = 'away';
    for (const c of conns) {
      if (c.inCall || c.presence === 'in_call') return 'in_call';
      if (c.presence === 'online') best = 'online';
    }
    return best;
  }

  private wireMember(userId: string, name: string, publicKey?: string, readSeq = 0): WireMember {
    const key = publicKey ?? this.store.user(userId)?.publicKey;
    return {
      userId,
      name,
      presence: this.presenceOf(userId),
      fingerprint: key ? keyFingerprint(key, 'user') : '',
      readSeq,
    };
  }

  /** Tells the room's members (and, for a direct conversation, both people) how it is now. */
  private pushRoom(roomId: string): void {
    const room = this.store.room(roomId);
    if (!room) return;
    const frame: ServerFrame = { t: 'room.changed', room: this.wireRoom(room) };
    this.fanOut(roomId, frame);
    const request = this.store.directRequest(roomId);
    if (request)
      for (const userId of [request.from, request.to])
        if (!this.membersOf(roomId).has(userId))
          for (const conn of this.online.get(userId) ?? []) conn.send(frame);
  }

  private wireRoom(room: StoredRoom): WireRoom {
    const fresh = this.store.room(room.id) ?? room;
    return {
      id: fresh.id,
      name: fresh.name,
      kind: fresh.kind,
      inviteCode: fresh.inviteCode,
      lastSeq: fresh.lastSeq,
      members: this.store
        .members(room.id)
        .map((m) => this.wireMember(m.userId, m.name, m.publicKey, m.readSeq)),
      ownerId: this.store.ownerOf(room.id),
      request: fresh.kind === 'direct' ? this.requestOf(room.id) : null,
    };
  }

  private requestOf(roomId: string): WireRoom['request'] {
    const request = this.store.directRequest(roomId);
    return request ? { from: request.from, state: request.state } : null;
  }

  connectionsOf(userId: string): ReadonlySet<ChatConnection> {
    return this.online.get(userId) ?? new Set();
  }

  nameOf(userId: string): string {
    return this.store.user(userId)?.name ?? '';
  }

  ownerOf(roomId: string): string | null {
    return this.store.ownerOf(roomId);
  }

  /** Marks the connection as in a call (or not) and tells the user's rooms when that changes. */
  setInCall(conn: ChatConnection, inCall: boolean): void {
    if (!conn.userId) return;
    const before = this.presenceOf(conn.userId);
    conn.inCall = inCall;
    if (this.presenceOf(conn.userId) !== before) this.pushPresence(conn.userId);
  }

  /** Sends the frame to every online connection of every member of the room. */
  fanOut(roomId: string, frame: ServerFrame): void {
    const text = JSON.stringify(frame);
    for (const userId of this.membersOf(roomId)) {
      const conns = this.online.get(userId);
      if (conns) for (const conn of conns) conn.sendText(text);
    }
  }

  private pushMember(roomId: string, userId: string, change: 'joined' | 'left'): void {
    const user = this.store.user(userId);
    if (!user) return;
    const frame: ServerFrame = {
      t: 'member',
      roomId,
      change,
      member: this.wireMember(userId, user.name),
    };
    this.fanOut(roomId, frame);
    // The one who left no longer gets the room's pushes; tell their other connections directly.
    if (change === 'left') for (const conn of this.online.get(userId) ?? []) conn.send(frame);
  }

  private pushPresence(userId: string): void {
    const frame: ServerFrame = { t: 'presence', userId, presence: this.presenceOf(userId) };
    const text = JSON.stringify(frame);
    const told = new Set<string>();
    for (const roomId of this.store.roomIdsOf(userId)) {
      for (const member of this.membersOf(roomId)) {
        if (told.has(member)) continue;
        told.add(member);
        for (const conn of this.online.get(member) ?? []) conn.sendText(text);
      }
    }
  }
}
