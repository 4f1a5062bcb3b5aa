/** What the renderer sees of identity, rooms, messages, search and storage (IPC shapes). */
import * as z from 'zod';
import {
  ClientMessageId,
  DirectRequest,
  DisplayName,
  MessageBody,
  Presence,
  ReactionEmoji,
  RoomId,
  RoomKind,
  RoomName,
  Sha256,
  UserId,
  WireFile,
} from '../protocol/entities';
import { MAX_BODY_CHARS, MAX_FILES_PER_MESSAGE } from '../protocol/limits';

export const Identity = z.object({
  userId: UserId,
  displayName: z.string(),
  /** Raw Ed25519 public key, base64. The private key never leaves main. */
  publicKey: z.string(),
  /** Its short fingerprint, as others see it beside this name. */
  fingerprint: z.string(),
  createdAt: z.number(),
});
export type Identity = z.infer<typeof Identity>;

export const IdentityCreateInput = z.object({ displayName: DisplayName }).strict();

export const Member = z.object({
  userId: UserId,
  name: z.string(),
  presence: Presence,
  /** Short fingerprint of their key: shown where two members share a name, and in profiles. */
  fingerprint: z.string(),
  /** Up to which seq they have read the room ("Seen by"). */
  readSeq: z.number().int().nonnegative(),
});
export type Member = z.infer<typeof Member>;

export const DeliveryState = z.enum(['pending', 'sent', 'failed']);
export type DeliveryState = z.infer<typeof DeliveryState>;

/** Who reacted with one emoji to a message (names in the order they reacted). */
export const MessageReaction = z.object({
  emoji: z.string(),
  count: z.number().int().positive(),
  mine: z.boolean(),
  names: z.array(z.string()),
});
export type MessageReaction = z.infer<typeof MessageReaction>;

/** The message a reply answers, as the reply shows it. */
export const ReplySummary = z.object({
  clientId: ClientMessageId,
  senderId: UserId,
  senderName: z.string(),
  /** Its text as it is now (edited), cut to a line's worth; empty when deleted. */
  body: z.string(),
  deleted: z.boolean(),
  /** Its seq, to jump to it (null while it waits to be sent). */
  seq: z.number().int().nullable(),
});
export type ReplySummary = z.infer<typeof ReplySummary>;

/** A file of a message, and whether its bytes (and its thumbnail's) are on this computer. */
export const LocalFile = WireFile.extend({
  local: z.boolean(),
  thumbLocal: z.boolean(),
});
export type LocalFile = z.infer<typeof LocalFile>;

/** Attaching: the renderer announces a file, then sends its bytes in pieces (base64). */
export const StageStartInput = z
  .object({
    name: WireFile.shape.name,
    size: z
      .number()
      .int()
      .nonnegative()
      .max(64 * 1024 ** 3),
  })
  .strict();
export type StageStartInput = z.infer<typeof StageStartInput>;
export const StageId = z.string().regex(/^stg_[0-9a-f]{24}$/);
/** Base64 of one piece of an attached file (576 KiB of it; a bridge frame holds 1 MiB). */
export const MAX_STAGE_CHUNK_BASE64 = 768 * 1024;
export const StageChunkInput = z
  .object({
    stageId: StageId,
    offset: z.number().int().nonnegative(),
    data: z
      .string()
      .max(MAX_STAGE_CHUNK_BASE64)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/),
  })
  .strict();
export const SendFilesInput = z
  .object({
    roomId: RoomId,
    stageIds: z.array(StageId).min(1).max(MAX_FILES_PER_MESSAGE),
    body: z.string().max(MAX_BODY_CHARS),
    replyTo: ClientMessageId.optional(),
  })
  .strict();
/** How far a transfer is: an upload by its message, a download by its blob. */
export const FileProgress = z.union([
  z.object({
    direction: z.literal('up'),
    clientId: ClientMessageId,
    done: z.number(),
    total: z.number(),
  }),
  z.object({
    direction: z.literal('down'),
    sha256: Sha256,
    done: z.number(),
    total: z.number(),
  }),
]);
export type FileProgress = z.infer<typeof FileProgress>;
export const BlobRef = z.object({ roomId: RoomId, sha256: Sha256 }).strict();

export const LocalMessage = z.object({
  localId: z.number().int(),
  roomId: RoomId,
  clientId: ClientMessageId,
  seq: z.number().int().nullable(),
  senderId: UserId,
  senderName: z.string(),
  body: z.string(),
  state: DeliveryState,
  /** Why it failed, in words from the server or the app. */
  failure: z.string().nullable(),
  createdAt: z.number(),
  at: z.number().nullable(),
  /** The message this one answers, when it is a reply (null when that one is not here). */
  replyTo: ReplySummary.nullable(),
  /** When its sender last changed the text (null: never edited). */
  editedAt: z.number().nullable(),
  /** Deleted for everyone: the body is empty and the list shows a placeholder. */
  deleted: z.boolean(),
  reactions: z.array(MessageReaction),
  files: z.array(LocalFile),
});
export type LocalMessage = z.infer<typeof LocalMessage>;

/** When a room notifies: every message from others, only those that mention me, or never. */
export const NotifyLevel = z.enum(['all', 'mentions', 'never']);
export type NotifyLevel = z.infer<typeof NotifyLevel>;

/** A message that should notify (the renderer shows it unless its room is in front). */
export const MessageNotice = z.object({
  roomId: RoomId,
  clientId: ClientMessageId,
  roomName: z.string(),
  direct: z.boolean(),
  senderName: z.string(),
  /** Its text (Markdown source); null when Settings hide the text of notifications. */
  body: z.string().nullable(),
  mention: z.boolean(),
  /** Play the notification sound. */
  sound: z.boolean(),
});
export type MessageNotice = z.infer<typeof MessageNotice>;

export const RoomSummary = z.object({
  id: RoomId,
  /** For a direct conversation: the other person's name. */
  name: z.string(),
  kind: RoomKind,
  inviteCode: z.string().nullable(),
  /** The room's owner (group rooms); null for direct conversations. */
  ownerId: z.string().nullable(),
  /** A direct conversation from someone who shares no room with the other: see DirectRequest. */
  request: DirectRequest.nullable(),
  unread: z.number().int().nonnegative(),
  /** Of the unread ones, those that mention me ("@My name"). */
  mentions: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  /** This app's notification level for the room (kept on this computer). */
  notify: NotifyLevel,
  lastMessage: z.object({ body: z.string(), senderName: z.string(), at: z.number() }).nullable(),
  members: z.array(Member),
});
export type RoomSummary = z.infer<typeof RoomSummary>;

export const MessagePage = z.object({
  messages: z.array(LocalMessage),
  /** More, older messages exist (locally or on the server). */
  hasMore: z.boolean(),
  /** Part of the page could not be fetched because the server is unreachable. */
  partial: z.boolean(),
});
export type MessagePage = z.infer<typeof MessagePage>;

export const MessagePageInput = z
  .object({
    roomId: RoomId,
    beforeSeq: z.number().int().positive().optional(),
    limit: z.number().int().positive().max(200).default(50),
  })
  .strict();

export const SendInput = z
  .object({
    roomId: RoomId,
    body: MessageBody,
    /** Lets a caller that retries a call it lost the answer to avoid a second copy. */
    clientId: ClientMessageId.optional(),
    /** The message this one answers (its clientId). */
    replyTo: ClientMessageId.optional(),
  })
  .strict();

/** A new text for one's own message. */
export const EditInput = z.object({ clientId: ClientMessageId, body: MessageBody }).strict();
/** A reaction put on (or taken off) a message. */
export const ReactInput = z
  .object({ clientId: ClientMessageId, emoji: ReactionEmoji, on: z.boolean() })
  .strict();

/** A draft may run past the send limit (the composer says by how much); it is still bounded. */
export const DraftInput = z
  .object({ roomId: RoomId, body: z.string().max(MAX_BODY_CHARS * 2) })
  .strict();

export const SearchHit = z.object({
  message: LocalMessage,
  roomName: z.string(),
  /** The matching text with matches wrapped in \u0002 … \u0003 (the UI turns them into <mark>). */
  snippet: z.string(),
});
export type SearchHit = z.infer<typeof SearchHit>;
export { HIGHLIGHT_END, HIGHLIGHT_START } from './search-marks';

export const SearchInput = z
  .object({ query: z.string().max(200), limit: z.number().int().positive().max(200).default(50) })
  .strict();

export const StorageCategory = z.enum(['messages', 'media', 'recordings']);
export type StorageCategory = z.infer<typeof StorageCategory>;

export const StorageUsage = z.array(
  z.object({
    category: StorageCategory,
    bytes: z.number().nonnegative(),
    limitBytes: z.number().nonnegative(),
    entries: z.number().int().nonnegative(),
    /** Bytes that can never be evicted (pending messages, unfinished recordings). */
    pinnedBytes: z.number().nonnegative(),
  }),
);
export type StorageUsage = z.infer<typeof StorageUsage>;

export const RoomCreateInput = z.object({ name: RoomName }).strict();
export const RoomJoinInput = z.object({ code: z.string().min(1).max(300) }).strict();
export const RoomRef = z.object({ roomId: RoomId }).strict();

export const MessagesChanged = z.object({ roomId: RoomId, messages: z.array(LocalMessage) });
export type MessagesChanged = z.infer<typeof MessagesChanged>;

export { UserId, RoomName };

export const SyncPhase = z.enum(['no_identity', 'offline', 'signing_in', 'syncing', 'ready']);
export type SyncPhase = z.infer<typeof SyncPhase>;

export const SyncStatus = z.object({
  phase: SyncPhase,
  /** Messages written here and not yet acknowledged by the server. */
  outbox: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;
