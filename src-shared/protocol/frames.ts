/**
 * The client <-> server wire protocol, version 4 (3 + the server's identity: the client says which
 * address it dialed, the server proves its key for that address, and sign-ins are bound to both). Every frame is JSON and parsed with these
 * schemas on the receiving side; docs/protocol.md describes them for people.
 *
 * Requests carry a client-chosen `rid`; the server's answer (a typed reply or an `error`) echoes it.
 * Pushes (`msg`, `presence`, `member`, `call.state`, `call.signal`) carry no `rid`.
 */
import * as z from 'zod';
import {
  ClientMessageId,
  DisplayName,
  InviteCode,
  MessageBody,
  MessageKind,
  OwnPresence,
  ReactionEmoji,
  Presence,
  RoomId,
  RoomName,
  UserId,
  WireFile,
  WireMember,
  WireMessage,
  WireRoom,
} from './entities';
import {
  CallChange,
  CallId,
  CallMedia,
  CallSession,
  CallSignal,
  ModerationAction,
  WireCall,
} from './calls';
import { MAX_BODY_CHARS, MAX_FILES_PER_MESSAGE } from './limits';
import { DashboardRange } from '../analytics/dashboard';
import { AnalyticsDefinition } from '../analytics/definitions';

export const PROTOCOL_VERSION = 7;
export { SERVER_WS_PATH } from './entities';
/** Largest frame a client may send. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Largest frame the server sends (history pages, room lists); clients accept up to this. */
export const MAX_SERVER_FRAME_BYTES = 1024 * 1024;
/** History replies stop adding messages past this many bytes of JSON (and say so with `more`). */
export const HISTORY_REPLY_BUDGET_BYTES = 256 * 1024;
/** Most messages one history reply carries. */
export const MAX_HISTORY_PAGE = 500;

const Rid = z.number().int().nonnegative();
const request = <T extends string, S extends z.ZodRawShape>(t: T, shape: S) =>
  z.object({ t: z.literal(t), rid: Rid, ...shape }).strict();

const Nonce = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

export const ClientHello = z
  .object({
    t: z.literal('hello'),
    v: z.number().int(),
    client: z.object({ name: z.string().max(64), version: z.string().max(32) }).strict(),
    /** The address the client dialed (dialedAddress()); the server refuses one not its own. */
    dialed: z.string().max(512).optional(),
    /** The client's nonce: the server's proof and the client's sign-in both cover it. */
    nonce: Nonce.optional(),
  })
  .strict();

export const ClientPing = z
  .object({ t: z.literal('ping'), id: z.number().int(), ts: z.number() })
  .strict();

/** Proves possession of the key: an Ed25519 signature of authChallengeText(...) of this session. */
export const ClientAuthKey = request('auth', {
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
  name: DisplayName,
});
/** Resumes with a token from an earlier `authed`, skipping the signature. */
export const ClientAuthToken = request('auth.token', { token: z.string().min(1).max(512) });
export const ClientRefresh = request('auth.refresh', {});

export const ClientRoomsList = request('rooms.list', {});
export const ClientRoomCreate = request('room.create', { name: RoomName });
export const ClientRoomJoin = request('room.join', { code: InviteCode });
export const ClientRoomLeave = request('room.leave', { roomId: RoomId });
/** Room owner only: the current invite code stops working (joins with it are told it was revoked). */
export const ClientInviteReset = request('room.invite.reset', { roomId: RoomId });
/**
 * Opens the direct conversation with another user. With someone who shares no room with the
 * opener it is a request: the other accepts it or blocks the opener (direct.respond).
 */
export const ClientDirectOpen = request('direct.open', { userId: UserId });
export const ClientDirectRespond = request('direct.respond', {
  roomId: RoomId,
  accept: z.boolean(),
});
/**
 * A message, or an action on one (see MessageKind): `text` and `edit` carry a MessageBody, a
 * reaction its ReactionEmoji, `delete` an empty body. Checked by the server (checkSend).
 */
export const ClientSend = request('msg.send', {
  roomId: RoomId,
  clientId: ClientMessageId,
  body: z.string().max(MAX_BODY_CHARS),
  kind: MessageKind.optional(),
  target: ClientMessageId.optional(),
  replyTo: ClientMessageId.optional(),
  /**
   * The clientId of the entry this client sent to the same room just before, while that one may
   * not be stored yet: refused with `out_of_order` until it is, so that a refusal (a rate limit)
   * of one entry can never let a later one be stored before it.
   */
  after: ClientMessageId.optional(),
  /** Files uploaded before (see docs/protocol.md, Files); the server fills in their types. */
  files: z.array(WireFile).max(MAX_FILES_PER_MESSAGE).optional(),
});

/** What is wrong with a send's kind, body and references, in words; null when it is right. */
export function checkSend(frame: {
  kind?: MessageKind;
  body: string;
  target?: string;
  replyTo?: string;
  files?: unknown[];
}): string | null {
  const kind = frame.kind ?? 'text';
  if (kind === 'text') {
    if (frame.target) return 'a message has no target';
    // A file is a message of its own; words with it are optional.
    if (frame.files?.length) return frame.body.length <= MAX_BODY_CHARS ? null : 'too long';
    return MessageBody.safeParse(frame.body).success ? null : 'message is empty';
  }
  if (frame.files?.length) return 'only a message carries files';
  if (!frame.target) return `${kind} needs a target`;
  if (frame.replyTo) return 'only a message can reply';
  if (kind === 'edit') return MessageBody.safeParse(frame.body).success ? null : 'message is empty';
  if (kind === 'delete') return frame.body === '' ? null : 'a delete has no body';
  return ReactionEmoji.safeParse(frame.body).success ? null : 'a reaction is one emoji';
}
/** Messages with seq in (afterSeq, beforeSeq), oldest first when afterSeq is given, newest otherwise. */
export const ClientHistory = request('history', {
  roomId: RoomId,
  afterSeq: z.number().int().nonnegative().optional(),
  beforeSeq: z.number().int().positive().optional(),
  limit: z.number().int().positive().max(MAX_HISTORY_PAGE),
});
export const ClientPresence = request('presence.set', { presence: OwnPresence });
/**
 * "I am typing in this room": sent while typing, at most every TYPING_EVERY_MS; pushed to the
 * room's other members as `typing`, stored nowhere. A receiver shows it for TYPING_SHOWN_MS.
 */
export const ClientTyping = request('typing', { roomId: RoomId });
export { TYPING_EVERY_MS, TYPING_SHOWN_MS } from './limits';
/**
 * "I have read this room up to `seq`": kept per member on the server (it only moves forward, so a
 * resend or an older position changes nothing) and pushed to the room as `read`, which keeps
 * unread counts in step across one user's sessions and shows others who has seen what.
 */
export const ClientRead = request('read', {
  roomId: RoomId,
  seq: z.number().int().nonnegative(),
});

/** Joins the room's running call, or starts one; joining again with a new connection resumes. */
export const ClientCallJoin = request('call.join', {
  roomId: RoomId,
  session: CallSession,
  media: CallMedia,
});
export const ClientCallLeave = request('call.leave', { callId: CallId });
export const ClientCallDecline = request('call.decline', { callId: CallId });
/** Relayed to one other participant of the same call, and only to them. */
export const ClientCallSignal = request('call.signal', {
  callId: CallId,
  to: UserId,
  signal: CallSignal,
});
export const ClientCallMedia = request('call.media', { callId: CallId, media: CallMedia });
export const ClientCallRecord = request('call.record', { callId: CallId, recording: z.boolean() });
/** Room owner only. */
export const ClientCallModerate = request('call.moderate', {
  callId: CallId,
  userId: UserId,
  action: ModerationAction,
});
/** The running calls of the user's rooms (after sign-in, to show what rings or runs). */
export const ClientCallsActive = request('calls.active', {});

/** Most analytics events one upload carries. */
export const MAX_ANALYTICS_BATCH = 200;
/** Events are checked one by one (checkEvent); a bad one is counted and refused, not the batch. */
export const ClientAnalyticsUpload = request('analytics.upload', {
  events: z.array(z.unknown()).max(MAX_ANALYTICS_BATCH),
});
export const ClientAnalyticsQuery = request('analytics.query', { range: DashboardRange });
export const ClientAnalyticsDefinitions = request('analytics.defs', {});
export const ClientAnalyticsDefine = request('analytics.define', {
  definition: AnalyticsDefinition,
});
export const ClientAnalyticsUndefine = request('analytics.undefine', {
  key: z.string().max(48),
});

export const ClientFrame = z.discriminatedUnion('t', [
  ClientHello,
  ClientPing,
  ClientAuthKey,
  ClientAuthToken,
  ClientRefresh,
  ClientRoomsList,
  ClientRoomCreate,
  ClientRoomJoin,
  ClientRoomLeave,
  ClientInviteReset,
  ClientDirectOpen,
  ClientDirectRespond,
  ClientSend,
  ClientHistory,
  ClientPresence,
  ClientTyping,
  ClientRead,
  ClientCallJoin,
  ClientCallLeave,
  ClientCallDecline,
  ClientCallSignal,
  ClientCallMedia,
  ClientCallRecord,
  ClientCallModerate,
  ClientCallsActive,
  ClientAnalyticsUpload,
  ClientAnalyticsQuery,
  ClientAnalyticsDefinitions,
  ClientAnalyticsDefine,
  ClientAnalyticsUndefine,
]);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type ClientRequest = Extract<ClientFrame, { rid: number }>;
export type CallRequest = Extract<ClientRequest, { t: `call.${string}` | 'calls.active' }>;
export type AnalyticsRequest = Extract<ClientRequest, { t: `analytics.${string}` }>;
export type ChatRequest = Exclude<ClientRequest, CallRequest | AnalyticsRequest>;

export function isCallRequest(frame: ClientRequest): frame is CallRequest {
  return frame.t.startsWith('call.') || frame.t === 'calls.active';
}

export function isAnalyticsRequest(frame: ClientRequest): frame is AnalyticsRequest {
  return frame.t.startsWith('analytics.');
}
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export const ServerErrorCode = z.enum([
  'malformed_frame',
  'unknown_frame',
  'frame_too_large',
  'unsupported_version',
  'not_ready',
  'too_many_errors',
  'rate_limited',
  'unauthenticated',
  'auth_failed',
  'token_expired',
  'no_such_room',
  'no_such_user',
  'not_member',
  'no_such_message',
  'out_of_order',
  'bad_invite',
  'invite_revoked',
  'wrong_server',
  'no_such_call',
  'not_in_call',
  'unknown_peer',
  'call_full',
  'forbidden',
  'no_such_file',
  'internal',
]);
export type ServerErrorCode = z.infer<typeof ServerErrorCode>;

export const ServerWelcome = z.object({
  t: z.literal('welcome'),
  v: z.number().int(),
  serverId: z.string(),
  time: z.number(),
  /** The server's nonce; the client signs authChallengeText(...) with it to authenticate. */
  nonce: z.string(),
  /** The server's Ed25519 public key (raw, base64): its identity, which clients pin. */
  serverKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  /** The server's signature of serverProofText(dialed, client nonce, server nonce, tlsCert). */
  proof: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
  /** SHA-256 (hex) of the TLS certificate the server presents; null: it has no TLS of its own. */
  tlsCert: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  /** The server's name as its operator set it (the host name by default), for people to read. */
  name: z.string().max(80),
});
export const ServerPong = z.object({ t: z.literal('pong'), id: z.number().int(), ts: z.number() });
export const ServerErrorFrame = z.object({
  t: z.literal('error'),
  /** The request this answers, when it answers one. */
  rid: Rid.optional(),
  code: ServerErrorCode,
  message: z.string(),
});
export const ServerAuthed = z.object({
  t: z.literal('authed'),
  rid: Rid,
  userId: UserId,
  name: z.string(),
  token: z.string(),
  /** When the token stops working (ms since epoch); refresh before then. */
  expiresAt: z.number(),
  /** Whether this identity administers the server (analytics across users, definitions). */
  admin: z.boolean().default(false),
});
export const ServerRooms = z.object({ t: z.literal('rooms'), rid: Rid, rooms: z.array(WireRoom) });
export const ServerRoom = z.object({ t: z.literal('room'), rid: Rid, room: WireRoom });
export const ServerLeft = z.object({ t: z.literal('left'), rid: Rid, roomId: RoomId });
/** The message is stored (now or by an earlier send of the same clientId) under this seq. */
export const ServerAck = z.object({
  t: z.literal('ack'),
  rid: Rid,
  roomId: RoomId,
  clientId: ClientMessageId,
  seq: z.number().int().positive(),
  at: z.number(),
  duplicate: z.boolean(),
});
export const ServerHistory = z.object({
  t: z.literal('history'),
  rid: Rid,
  roomId: RoomId,
  messages: z.array(WireMessage),
  lastSeq: z.number().int().nonnegative(),
  /** The page was cut short by size, not by the range: ask again from the last seq given. */
  more: z.boolean(),
});
export const ServerPresenceOk = z.object({ t: z.literal('presence.ok'), rid: Rid });
/** A request that needs no answer beyond "done". */
export const ServerOk = z.object({ t: z.literal('ok'), rid: Rid });
export const ServerCall = z.object({ t: z.literal('call'), rid: Rid, call: WireCall });
export const ServerCalls = z.object({ t: z.literal('calls'), rid: Rid, calls: z.array(WireCall) });
/** Pushed to the room's members whenever a call of the room changes (they may not be in it). */
export const ServerCallPush = z.object({
  t: z.literal('call.state'),
  call: WireCall,
  change: CallChange,
});
/** A peer's signal, pushed to the one connection that joined the call for the addressee. */
export const ServerCallSignalPush = z.object({
  t: z.literal('call.signal'),
  callId: CallId,
  from: UserId,
  signal: CallSignal,
});
/** Pushed to every connection of every member when a message is stored. */
export const ServerMsg = z.object({ t: z.literal('msg'), message: WireMessage });
export const ServerPresencePush = z.object({
  t: z.literal('presence'),
  userId: UserId,
  presence: Presence,
});
/** Pushed to a room's other members when one of them is typing there. */
export const ServerTypingPush = z.object({
  t: z.literal('typing'),
  roomId: RoomId,
  userId: UserId,
});
/** Pushed to a room's members (the reader's other sessions too) when a read position moves. */
export const ServerReadPush = z.object({
  t: z.literal('read'),
  roomId: RoomId,
  userId: UserId,
  seq: z.number().int().nonnegative(),
});
/** Pushed to the members of a room when the room itself changes (a new invite code). */
export const ServerRoomChangedPush = z.object({ t: z.literal('room.changed'), room: WireRoom });
/** Pushed to the members of a room when somebody joins or leaves it. */
export const ServerMemberPush = z.object({
  t: z.literal('member'),
  roomId: RoomId,
  change: z.enum(['joined', 'left']),
  member: WireMember,
});

/** What an upload did: stored, already stored (a resend), refused (with reasons, counted). */
export const ServerAnalyticsAck = z.object({
  t: z.literal('analytics.ack'),
  rid: Rid,
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
});
/** The dashboard across all users; its shape is DashboardData (src-shared/analytics). */
export const ServerAnalyticsResult = z.object({
  t: z.literal('analytics.result'),
  rid: Rid,
  data: z.record(z.string(), z.unknown()),
});
export const ServerAnalyticsDefinitions = z.object({
  t: z.literal('analytics.defs'),
  rid: Rid,
  definitions: z.array(AnalyticsDefinition),
});

export const ServerFrame = z.discriminatedUnion('t', [
  ServerWelcome,
  ServerPong,
  ServerErrorFrame,
  ServerAuthed,
  ServerRooms,
  ServerRoom,
  ServerLeft,
  ServerAck,
  ServerHistory,
  ServerPresenceOk,
  ServerMsg,
  ServerPresencePush,
  ServerMemberPush,
  ServerRoomChangedPush,
  ServerTypingPush,
  ServerReadPush,
  ServerOk,
  ServerCall,
  ServerCalls,
  ServerCallPush,
  ServerCallSignalPush,
  ServerAnalyticsAck,
  ServerAnalyticsResult,
  ServerAnalyticsDefinitions,
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
export type ServerReply = Extract<ServerFrame, { rid: number }>;

/** The reply type each request is answered with (besides `error`). */
export interface ReplyTo {
  auth: z.infer<typeof ServerAuthed>;
  'auth.token': z.infer<typeof ServerAuthed>;
  'auth.refresh': z.infer<typeof ServerAuthed>;
  'rooms.list': z.infer<typeof ServerRooms>;
  'room.create': z.infer<typeof ServerRoom>;
  'room.join': z.infer<typeof ServerRoom>;
  'room.invite.reset': z.infer<typeof ServerRoom>;
  'direct.open': z.infer<typeof ServerRoom>;
  'direct.respond': z.infer<typeof ServerRoom>;
  'room.leave': z.infer<typeof ServerLeft>;
  'msg.send': z.infer<typeof ServerAck>;
  history: z.infer<typeof ServerHistory>;
  'presence.set': z.infer<typeof ServerPresenceOk>;
  typing: z.infer<typeof ServerOk>;
  read: z.infer<typeof ServerOk>;
  'call.join': z.infer<typeof ServerCall>;
  'call.leave': z.infer<typeof ServerOk>;
  'call.decline': z.infer<typeof ServerOk>;
  'call.signal': z.infer<typeof ServerOk>;
  'call.media': z.infer<typeof ServerOk>;
  'call.record': z.infer<typeof ServerOk>;
  'call.moderate': z.infer<typeof ServerOk>;
  'calls.active': z.infer<typeof ServerCalls>;
  'analytics.upload': z.infer<typeof ServerAnalyticsAck>;
  'analytics.query': z.infer<typeof ServerAnalyticsResult>;
  'analytics.defs': z.infer<typeof ServerAnalyticsDefinitions>;
  'analytics.define': z.infer<typeof ServerAnalyticsDefinitions>;
  'analytics.undefine': z.infer<typeof ServerAnalyticsDefinitions>;
}

/** Parses a raw frame: JSON first, then the schema; never throws. */
export function parseFrame<T>(
  schema: z.ZodType<T>,
  raw: string,
):
  | { ok: true; frame: T }
  | { ok: false; code: 'malformed_frame' | 'unknown_frame'; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'malformed_frame', message: 'frame is not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length ? issue.path.join('.') : 'frame';
  const unknownType = issue?.path[0] === 't';
  return {
    ok: false,
    code: unknownType ? 'unknown_frame' : 'malformed_frame',
    message: `${where}: ${issue?.message ?? 'invalid'}`,
  };
}

/** The rid of a frame that failed to parse, if it had a usable one, so its error can answer it. */
export function ridOf(raw: string): number | undefined {
  try {
    const rid = (JSON.parse(raw) as { rid?: unknown })?.rid;
    return Number.isSafeInteger(rid) && (rid as number) >= 0 ? (rid as number) : undefined;
  } catch {
    return undefined;
  }
}

export { WireMessage, WireRoom, WireMember, Presence };
