/** The things the wire protocol talks about: users, rooms, members, messages, presence. */
import * as z from 'zod';
import {
  MAX_BODY_CHARS,
  MAX_DISPLAY_NAME_CHARS,
  MAX_FILES_PER_MESSAGE,
  MAX_ROOM_NAME_CHARS,
  SERVER_WS_PATH,
} from './limits';

export { displayAddress, inviteLink, serverAddress } from './addresses';
export {
  LINK_SCHEME,
  MAX_BODY_CHARS,
  MAX_DISPLAY_NAME_CHARS,
  MAX_ROOM_NAME_CHARS,
  SERVER_WS_PATH,
} from './limits';

/** The server derives a user id from the public key (a hash), so nobody can pick one. */
export const UserId = z.string().regex(/^u_[0-9a-f]{32}$/);
export const RoomId = z.string().regex(/^r_[0-9a-f]{24}$/);
/** A client message id: chosen by the sender, the key that makes resending harmless. */
export const ClientMessageId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
/**
 * Invite code: 12 characters from an alphabet of 32 without look-alikes (60 bits): with failed
 * joins limited to a handful a minute per identity and address, guessing one is hopeless. Codes
 * of 8 from before are still read (a server replaces them when it upgrades its store).
 */
export const INVITE_CODE_LENGTH = 12;
export const InviteCode = z.string().regex(/^[A-HJ-NP-Z2-9]{8}(?:[A-HJ-NP-Z2-9]{4})?$/);
export const DisplayName = z.string().trim().min(1).max(MAX_DISPLAY_NAME_CHARS);
export const RoomName = z.string().trim().min(1).max(MAX_ROOM_NAME_CHARS);
export const MessageBody = z
  .string()
  .max(MAX_BODY_CHARS)
  .refine((s) => s.trim().length > 0, 'message is empty');

/** A file's content address: its SHA-256, lowercase hex. */
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * A file a message carries, stored on the server by its hash. `mime` is what the server found in
 * the content (never the name's say); an image has its size and a thumbnail (another blob).
 */
export const WireFile = z.object({
  sha256: Sha256,
  name: z
    .string()
    .min(1)
    .max(255)
    // No path separators and no control characters: a name, never a path.
    .refine(
      (name) => ![...name].some((c) => c === '/' || c === '\\' || c < ' '),
      'not a file name',
    ),
  size: z.number().int().nonnegative(),
  mime: z.string().max(127).default('application/octet-stream'),
  width: z.number().int().positive().max(100_000).optional(),
  height: z.number().int().positive().max(100_000).optional(),
  thumb: Sha256.optional(),
});
export type WireFile = z.infer<typeof WireFile>;

export const Presence = z.enum(['online', 'away', 'in_call', 'offline']);
export type Presence = z.infer<typeof Presence>;
/** What a client may announce about itself; `offline` is the server's to say. */
export const OwnPresence = z.enum(['online', 'away', 'in_call']);
export type OwnPresence = z.infer<typeof OwnPresence>;

export const RoomKind = z.enum(['group', 'direct']);
export type RoomKind = z.infer<typeof RoomKind>;

export const WireMember = z.object({
  userId: UserId,
  name: z.string(),
  presence: Presence,
  /**
   * The short fingerprint of the member's key (fingerprintFromSha256, 'user'): a name is not an
   * identity, so the app shows this wherever two members share a name, and in profiles.
   */
  fingerprint: z.string().default(''),
  /** Up to which seq the member has read the room (0: nothing yet, or not a room's member list). */
  readSeq: z.number().int().nonnegative().default(0),
});
export type WireMember = z.infer<typeof WireMember>;

export const DirectRequest = z.object({
  from: UserId,
  state: z.enum(['pending', 'accepted', 'blocked']),
});
export type DirectRequest = z.infer<typeof DirectRequest>;

export const WireRoom = z.object({
  id: RoomId,
  name: z.string(),
  kind: RoomKind,
  /** Null for direct conversations: they are not joined by code. */
  inviteCode: InviteCode.nullable(),
  lastSeq: z.number().int().nonnegative(),
  members: z.array(WireMember),
  /** Who created a group room (may make a new invite code, moderate its calls); null for direct. */
  ownerId: UserId.nullable().default(null),
  /**
   * A direct conversation opened by someone who shares no room with the other person is a request
   * until the other accepts it (or blocks its sender); null for every other room.
   */
  request: DirectRequest.nullable().default(null),
});
export type WireRoom = z.infer<typeof WireRoom>;

/**
 * What a room entry is: a message (`text`), or an action on one (its `target`, by clientId):
 * the sender's new text (`edit`), deleted for everyone (`delete`, by the sender or the room's
 * owner), a reaction added or taken back (`react`/`unreact`, the emoji as body). Actions take
 * the room's seq like messages, so every client applies them in the same order, once.
 */
export const MessageKind = z.enum(['text', 'edit', 'delete', 'react', 'unreact']);
export type MessageKind = z.infer<typeof MessageKind>;
/** A reaction: one emoji (with its modifiers), nothing else. */
export const ReactionEmoji = z
  .string()
  .max(32)
  .regex(/^(?=.*\p{Extended_Pictographic})[^\s<>&"'`]+$/u, 'not an emoji');

export const WireMessage = z.object({
  roomId: RoomId,
  seq: z.number().int().positive(),
  clientId: ClientMessageId,
  senderId: UserId,
  body: z.string(),
  /** When the server accepted it (ms since epoch). */
  at: z.number(),
  kind: MessageKind.default('text'),
  /** The message an action applies to (its clientId). */
  target: ClientMessageId.optional(),
  /** The message a text answers (its clientId). */
  replyTo: ClientMessageId.optional(),
  /** Files it carries (a text only); its body may then be empty. */
  files: z.array(WireFile).max(MAX_FILES_PER_MESSAGE).optional(),
});
export type WireMessage = z.infer<typeof WireMessage>;

/** Characters of invite codes: no 0/O, 1/I. */
export const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function normalCode(raw: string): string | null {
  const code = raw.replace(/[ -]/g, '').toUpperCase();
  return InviteCode.safeParse(code).success ? code : null;
}

/**
 * Accepts a bare code or a link that ends in one (beseda://join/CODE, beseda://join/SERVER/CODE,
 * https://…/join/CODE); dashes and spaces inside the code (as people write it out) are ignored.
 */
export function inviteCodeFrom(text: string): string | null {
  const invite = parseInvite(text);
  return invite?.code ?? null;
}

/** An invite: its code, and the server it is for when the link names one (with its fingerprint). */
export interface Invite {
  code: string;
  /** The server's WebSocket URL; null: a room of the server the app is connected to. */
  server: string | null;
  /** The server key's fingerprint (40 hex digits, no spaces); with `server` only. */
  fingerprint: string | null;
}

/**
 * Reads what a person pasted or a link opened: a bare code, `beseda://join/CODE`, or
 * `beseda://join/<server address>/<code>#<fingerprint>`. The address is host:port for a server
 * that speaks TLS at the usual path (wss://host:port/ws), or a whole ws:// or wss:// URL,
 * percent-encoded. Null when it is none of them.
 */
export function parseInvite(text: string): Invite | null {
  const trimmed = text.trim();
  const bare = /^(?:.*\/join\/)?([A-Za-z0-9][A-Za-z0-9 -]{6,18}[A-Za-z0-9])$/.exec(trimmed);
  if (bare) {
    const code = normalCode(bare[1]!);
    if (code) return { code, server: null, fingerprint: null };
  }
  const linked =
    /^beseda:\/\/join\/([^/\s#]+)\/([A-Za-z0-9-]{8,20})\/?#([0-9a-fA-F :-]{40,60})$/i.exec(trimmed);
  if (!linked) return null;
  const code = normalCode(linked[2]!);
  const fingerprint = linked[3]!.replace(/[ :-]/g, '').toLowerCase();
  const server = serverFromAddress(decodeURIComponentSafe(linked[1]!));
  if (!code || !server || !/^[0-9a-f]{40}$/.test(fingerprint)) return null;
  return { code, server, fingerprint };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}

/** `host:port` (wss at the usual path) or a ws(s) URL, as a URL; null when it is neither. */
export function serverFromAddress(address: string): string | null {
  const whole = /^wss?:\/\//i.test(address);
  // Otherwise only host:port (a name, an IPv4 address, or an IPv6 one in brackets).
  if (!whole && !/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d{1,5}$/i.test(address)) return null;
  const candidate = whole ? address : `wss://${address}${SERVER_WS_PATH}`;
  try {
    const url = new URL(candidate);
    if (!url.hostname || (url.protocol !== 'ws:' && url.protocol !== 'wss:')) return null;
    return url.toString();
  } catch {
    return null;
  }
}

/**
 * What a client signs to prove it holds its key: bound to the address it dialed, the server key
 * it was shown there (and has pinned), and both nonces. A server accepts it only for an address
 * of its own and its own key, so a signature made for one server is worth nothing at another.
 */
export function authChallengeText(session: {
  dialed: string;
  serverKey: string;
  serverNonce: string;
  clientNonce: string;
}): string {
  const { dialed, serverKey, serverNonce, clientNonce } = session;
  return `beseda-auth:v2:${dialed}:${serverKey}:${serverNonce}:${clientNonce}`;
}

/**
 * What the server signs in its welcome: it holds the key, for this dialed address and nonce, and
 * the TLS certificate it presents is this one (SHA-256 of its DER, hex; null without TLS of its
 * own). A client checks the certificate it was shown against it, so a self-signed certificate is
 * as good as the pinned key and needs no certificate authority.
 */
export function serverProofText(
  dialed: string,
  clientNonce: string,
  serverNonce: string,
  tlsCert: string | null,
): string {
  return `beseda-server:v2:${dialed}:${clientNonce}:${serverNonce}:${tlsCert ?? 'none'}`;
}

/** The address a client dialed, as both sides write it: scheme://host:port/path, lower case. */
export function dialedAddress(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port || (parsed.protocol === 'wss:' ? '443' : '80');
  return `${parsed.protocol}//${parsed.hostname.toLowerCase()}:${port}${parsed.pathname}`;
}

/**
 * A key's fingerprint as people compare it, from the SHA-256 (hex) of the raw key: groups of four
 * hex digits. A server's shows 20 bytes ("3f2a 91c0 …", ten groups); a user's 8 (four groups),
 * beside their name. Hashing is done where Node's crypto is (main, the server).
 */
export function fingerprintFromSha256(hex: string, kind: 'server' | 'user'): string {
  const groups = kind === 'server' ? 10 : 4;
  return Array.from({ length: groups }, (_, i) => hex.slice(i * 4, i * 4 + 4)).join(' ');
}
