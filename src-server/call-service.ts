/**
 * Calls on the server: who is in which room's call, relaying signals between participants
 * (and only between them), media and recording announcements, moderation by the room owner,
 * and a grace period that lets a participant whose connection dropped resume without the
 * others tearing down media that still flows peer to peer. Calls live in memory: a restarted
 * server has no calls, and clients that were in one join again.
 */
import crypto from 'node:crypto';
import type { Logger } from '../src-shared/log';
import {
  MAX_MESH_PARTICIPANTS,
  RESUME_GRACE_MS,
  type CallChange,
  type CallMedia,
  type WireCall,
} from '../src-shared/protocol/calls';
import type { CallRequest, ServerFrame, ServerReply } from '../src-shared/protocol/frames';
import { RequestError, type ChatConnection, type ChatService } from './chat-service';

interface Participant {
  userId: string;
  name: string;
  joinedAt: number;
  session: string;
  media: CallMedia;
  forcedMute: boolean;
  /** The connection that joined: signals go to it alone. Null while waiting to resume. */
  conn: ChatConnection | null;
  graceTimer: NodeJS.Timeout | null;
}

interface Call {
  id: string;
  roomId: string;
  ownerId: string | null;
  startedBy: string;
  startedAt: number;
  participants: Map<string, Participant>;
  recording: { by: string; since: number } | null;
  /** The owner's decisions, kept for the whole call: who is muted, who may not rejoin. */
  forcedMutes: Set<string>;
  removed: Set<string>;
}

export interface CallServiceOptions {
  maxParticipants?: number;
  resumeGraceMs?: number;
  now?: () => number;
}

export class CallService {
  private readonly calls = new Map<string, Call>();
  private readonly byRoom = new Map<string, string>();
  private readonly callOfConn = new Map<ChatConnection, string>();
  private readonly maxParticipants: number;
  private readonly resumeGraceMs: number;
  private readonly now: () => number;

  constructor(
    private readonly chat: ChatService,
    private readonly logger: Logger,
    options: CallServiceOptions = {},
  ) {
    chat.onLeftRoom((roomId, userId) => this.leftRoom(roomId, userId));
    this.maxParticipants = options.maxParticipants ?? MAX_MESH_PARTICIPANTS;
    this.resumeGraceMs = options.resumeGraceMs ?? RESUME_GRACE_MS;
    this.now = options.now ?? Date.now;
  }

  handle(conn: ChatConnection, frame: CallRequest): ServerReply {
    const rid = frame.rid;
    const userId = this.chat.requireUser(conn);
    switch (frame.t) {
      case 'calls.active': {
        const calls = [...this.calls.values()]
          .filter((call) => this.chat.membersOf(call.roomId).has(userId))
          .map((call) => this.wire(call));
        return { t: 'calls', rid, calls };
      }
      case 'call.join': {
        this.chat.requireMember(frame.roomId, userId);
        const previous = this.callOfConn.get(conn);
        const existingId = this.byRoom.get(frame.roomId);
        if (previous && previous !== existingId)
          this.remove(this.calls.get(previous)!, userId, 'left');
        let call = existingId ? this.calls.get(existingId) : undefined;
        let started = false;
        if (!call) {
          call = {
            id: `c_${crypto.randomBytes(12).toString('hex')}`,
            roomId: frame.roomId,
            ownerId: this.chat.ownerOf(frame.roomId),
            startedBy: userId,
            startedAt: this.now(),
            participants: new Map(),
            recording: null,
            forcedMutes: new Set(),
            removed: new Set(),
          };
          this.calls.set(call.id, call);
          this.byRoom.set(call.roomId, call.id);
          started = true;
        }
        if (call.removed.has(userId))
          throw new RequestError('forbidden', 'the room owner removed you from this call');
        let participant = call.participants.get(userId);
        const resumed = participant !== undefined;
        if (!participant) {
          if (call.participants.size >= this.maxParticipants)
            throw new RequestError(
              'call_full',
              `this call already has ${this.maxParticipants} participants`,
            );
          participant = {
            userId,
            name: this.chat.nameOf(userId),
            joinedAt: this.now(),
            session: frame.session,
            media: frame.media,
            forcedMute: call.forcedMutes.has(userId),
            conn: null,
            graceTimer: null,
          };
          call.participants.set(userId, participant);
        }
        // A resume (or the same user from another connection) takes the participant over.
        if (participant.conn && participant.conn !== conn) this.detach(participant.conn);
        if (participant.graceTimer) clearTimeout(participant.graceTimer);
        participant.graceTimer = null;
        participant.conn = conn;
        participant.session = frame.session;
        participant.media = this.allowed(participant, frame.media);
        this.callOfConn.set(conn, call.id);
        this.chat.setInCall(conn, true);
        this.push(call, { kind: started ? 'started' : resumed ? 'updated' : 'joined', userId });
        this.logger.info('call joined', { callId: call.id, userId, resumed });
        return { t: 'call', rid, call: this.wire(call) };
      }
      case 'call.leave': {
        const { call } = this.participantOf(conn, frame.callId);
        this.remove(call, userId, 'left');
        return { t: 'ok', rid };
      }
      case 'call.decline': {
        const call = this.callById(frame.callId);
        this.chat.requireMember(call.roomId, userId);
        this.push(call, { kind: 'declined', userId });
        return { t: 'ok', rid };
      }
      case 'call.signal': {
        const { call, participant } = this.participantOf(conn, frame.callId);
        const target = call.participants.get(frame.to);
        const members = this.chat.membersOf(call.roomId);
        // Only between participants who are still members of the room.
        if (!members.has(userId))
          throw new RequestError('not_member', 'you are not a member of this room');
        if (!target || target === participant || !members.has(target.userId))
          throw new RequestError('unknown_peer', 'the addressee is not in this call');
        if (!target.conn)
          throw new RequestError('unknown_peer', 'the addressee is reconnecting; try again');
        target.conn.send({ t: 'call.signal', callId: call.id, from: userId, signal: frame.signal });
        return { t: 'ok', rid };
      }
      case 'call.media': {
        const { call, participant } = this.participantOf(conn, frame.callId);
        participant.media = this.allowed(participant, frame.media);
        this.push(call, { kind: 'updated', userId });
        return { t: 'ok', rid };
      }
      case 'call.record': {
        const { call } = this.participantOf(conn, frame.callId);
        const current = call.recording;
        if (frame.recording) {
          // Someone else's recording is theirs to stop: nobody takes it over or hides it.
          if (current && current.by !== userId)
            throw new RequestError('forbidden', 'someone else is already recording this call');
          call.recording ??= { by: userId, since: this.now() };
        } else if (!current) return { t: 'ok', rid };
        else if (current.by === userId || call.ownerId === userId) call.recording = null;
        else
          throw new RequestError(
            'forbidden',
            'only who started the recording, or the room owner, can stop it',
          );
        this.push(call, { kind: 'updated', userId });
        return { t: 'ok', rid };
      }
      case 'call.moderate': {
        const call = this.callById(frame.callId);
        if (call.ownerId !== userId)
          throw new RequestError('forbidden', 'only the room owner can do this');
        const target = call.participants.get(frame.userId);
        switch (frame.action) {
          case 'allow':
            call.removed.delete(frame.userId);
            this.push(call, { kind: 'updated', userId: frame.userId });
            break;
          case 'remove':
            call.removed.add(frame.userId);
            if (target) this.remove(call, target.userId, 'removed');
            else this.push(call, { kind: 'updated', userId: frame.userId });
            break;
          default:
            if (!target) throw new RequestError('unknown_peer', 'that person is not in this call');
            if (frame.action === 'mute') call.forcedMutes.add(frame.userId);
            else call.forcedMutes.delete(frame.userId);
            target.forcedMute = frame.action === 'mute';
            target.media = this.allowed(target, target.media);
            this.push(call, { kind: 'updated', userId: target.userId });
        }
        this.logger.info('call moderated', { callId: call.id, action: frame.action });
        return { t: 'ok', rid };
      }
    }
  }

  /** Someone left the room: they leave its call too, at once (no grace). */
  private leftRoom(roomId: string, userId: string): void {
    const callId = this.byRoom.get(roomId);
    const call = callId ? this.calls.get(callId) : undefined;
    if (!call || !call.participants.has(userId)) return;
    const conn = call.participants.get(userId)!.conn;
    this.remove(call, userId, 'left');
    // They no longer get the room's pushes: tell their connection that it is out.
    if (conn)
      conn.send({ t: 'call.state', call: this.wire(call), change: { kind: 'left', userId } });
  }

  /** The connection dropped: keep its participant for the grace period, then drop them. */
  disconnected(conn: ChatConnection): void {
    const callId = this.callOfConn.get(conn);
    this.callOfConn.delete(conn);
    const call = callId ? this.calls.get(callId) : undefined;
    if (!call || !conn.userId) return;
    const participant = call.participants.get(conn.userId);
    if (!participant || participant.conn !== conn) return;
    participant.conn = null;
    participant.graceTimer = setTimeout(() => {
      if (participant.conn === null && this.calls.get(call.id) === call)
        this.remove(call, participant.userId, 'left');
    }, this.resumeGraceMs);
    participant.graceTimer.unref();
    this.push(call, { kind: 'updated', userId: participant.userId });
  }

  /** Stops the grace timers (the server is shutting down; calls end with it). */
  close(): void {
    for (const call of this.calls.values())
      for (const p of call.participants.values()) if (p.graceTimer) clearTimeout(p.graceTimer);
    this.calls.clear();
    this.byRoom.clear();
  }

  activeCalls(): number {
    return this.calls.size;
  }

  private allowed(participant: Participant, media: CallMedia): CallMedia {
    return participant.forcedMute ? { ...media, audio: false } : media;
  }

  private callById(callId: string): Call {
    const call = this.calls.get(callId);
    if (!call) throw new RequestError('no_such_call', 'that call has ended');
    return call;
  }

  /** The caller's participant record; only the connection that joined may act for it. */
  private participantOf(conn: ChatConnection, callId: string) {
    const call = this.callById(callId);
    const participant = conn.userId ? call.participants.get(conn.userId) : undefined;
    if (!participant || participant.conn !== conn)
      throw new RequestError('not_in_call', 'you are not in this call');
    return { call, participant };
  }

  private detach(conn: ChatConnection): void {
    this.callOfConn.delete(conn);
    this.chat.setInCall(conn, false);
  }

  private remove(call: Call, userId: string, kind: 'left' | 'removed'): void {
    const participant = call.participants.get(userId);
    if (!participant) return;
    if (participant.graceTimer) clearTimeout(participant.graceTimer);
    if (participant.conn) this.detach(participant.conn);
    call.participants.delete(userId);
    if (call.recording?.by === userId) call.recording = null;
    if (call.participants.size === 0) {
      this.calls.delete(call.id);
      this.byRoom.delete(call.roomId);
      this.push(call, { kind: 'ended', userId });
      this.logger.info('call ended', { callId: call.id });
      return;
    }
    this.push(call, { kind, userId });
    // Someone removed from a room they also left would not get the room's push: tell them.
    if (kind === 'removed' && participant.conn && !this.chat.membersOf(call.roomId).has(userId))
      participant.conn.send({ t: 'call.state', call: this.wire(call), change: { kind, userId } });
  }

  private push(call: Call, change: CallChange): void {
    const frame: ServerFrame = { t: 'call.state', call: this.wire(call), change };
    this.chat.fanOut(call.roomId, frame);
  }

  private wire(call: Call): WireCall {
    return {
      callId: call.id,
      roomId: call.roomId,
      ownerId: call.ownerId,
      startedBy: call.startedBy,
      startedAt: call.startedAt,
      participants: [...call.participants.values()].map((p) => ({
        userId: p.userId,
        name: p.name,
        joinedAt: p.joinedAt,
        session: p.session,
        media: p.media,
        forcedMute: p.forcedMute,
        reconnecting: p.conn === null,
      })),
      recording: call.recording,
      topology: 'mesh',
      removed: [...call.removed].map((userId) => ({ userId, name: this.chat.nameOf(userId) })),
    };
  }
}
