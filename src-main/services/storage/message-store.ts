/**
 * The local copy of rooms, members and messages, and the outbox. A message typed by the user is
 * written as pending together with its outbox row in one transaction; it leaves the outbox only
 * when the server's ack marks it sent. Incoming messages are stored by clientId, so a message
 * that arrives twice (push and history, or our own echo) is stored once.
 */
import crypto from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type * as z from 'zod';
import type {
  DirectRequest,
  MessageKind,
  Presence,
  WireMember,
  WireFile,
  WireMessage,
  WireRoom,
} from '../../../src-shared/protocol/entities';
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  type LocalFile,
  type LocalMessage,
  type Member,
  type MessageReaction,
  type NotifyLevel,
  type ReplySummary,
  type RoomSummary,
  type SearchHit,
} from '../../../src-shared/ipc/chat-types';
import { mentions } from '../../../src-shared/protocol/mentions';

interface MessageRow {
  local_id: number;
  room_id: string;
  client_id: string;
  seq: number | null;
  sender_id: string;
  body: string;
  state: LocalMessage['state'];
  failure: string | null;
  created_at: number;
  at: number | null;
  sender_name: string | null;
  kind: MessageKind;
  target: string | null;
  reply_to: string | null;
  edited_at: number | null;
  deleted: number;
  /** JSON: [{emoji, users: [userId…]}], folded from the reactions in the room's order. */
  reactions: string | null;
  /** JSON ReplySummary of the message replied to, when it is here. */
  reply: string | null;
  /** JSON WireFile[] it carries. */
  files: string | null;
}

export interface OutboxItem {
  localId: number;
  roomId: string;
  clientId: string;
  body: string;
  kind: MessageKind;
  target: string | null;
  replyTo: string | null;
  /** JSON WireFile[] (a message with files). */
  files: string | null;
}

/** An entry from the server as the store takes it (entries of protocol 5 have no kind). */
export type IncomingMessage = z.input<typeof WireMessage>;
/** A room or member as the server sends it (fields with defaults may be left out). */
export type RoomInput = z.input<typeof WireRoom>;
export type MemberInput = z.input<typeof WireMember>;

/** What an action does to the message it names (see MessageStore.fold). */
export interface MessageAction {
  kind: Exclude<MessageKind, 'text'>;
  target: string;
}

const MESSAGE_COLUMNS = `m.local_id, m.room_id, m.client_id, m.seq, m.sender_id, m.body, m.state,
  m.failure, m.created_at, m.at, m.kind, m.target, m.reply_to, m.edited_at, m.deleted, m.reactions,
  m.files,
  (SELECT name FROM members mb WHERE mb.room_id = m.room_id AND mb.user_id = m.sender_id) AS sender_name,
  CASE WHEN m.reply_to IS NULL THEN NULL ELSE (
    SELECT json_object('clientId', r.client_id, 'senderId', r.sender_id,
      'senderName', coalesce((SELECT name FROM members mr WHERE mr.room_id = r.room_id
        AND mr.user_id = r.sender_id), ''),
      'body', substr(r.body, 1, 200), 'deleted', r.deleted, 'seq', r.seq)
    FROM messages r WHERE r.client_id = m.reply_to AND r.kind = 'text') END AS reply`;

/** A message that is only files reads as its first file's name in the room list. */
function filePreview(row: MessageRow): string {
  if (!row.files || row.deleted === 1) return '';
  const files = JSON.parse(row.files) as WireFile[];
  return files.length ? `📎 ${files.map((f) => f.name).join(', ')}` : '';
}

export function newClientId(): string {
  return crypto.randomBytes(16).toString('base64url');
}

/** Turns what a person types into an FTS5 query: every word must match, as a prefix. */
export function ftsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}_]+/gu);
  if (!words) return null;
  return words
    .slice(0, 16)
    .map((w) => `"${w}"*`)
    .join(' ');
}

export class MessageStore {
  private readonly stmt: Record<string, Statement>;
  /**
   * The identity key of the server the app is on: rooms, the outbox and search are that server's
   * (another server's rooms stay here, with their unsent messages, until the app returns to it).
   */
  private server: string | null = null;
  private readonly namesCache = new Map<string, Map<string, string>>();

  constructor(
    private readonly db: Database,
    /** The local user: needed to tell own messages and to name the sender of pending ones. */
    private readonly self: () => { userId: string; displayName: string } | null,
  ) {
    const s = (sql: string) => db.prepare(sql);
    this.stmt = {
      upsertRoom: s(`
        INSERT INTO rooms (id, name, kind, invite_code, last_seq, updated_at, owner_id,
          request_from, request_state, server_key)
        VALUES (@id, @name, @kind, @inviteCode, @lastSeq, @now, @ownerId, @requestFrom,
          @requestState, @server)
        ON CONFLICT(id) DO UPDATE SET name = excluded.name, invite_code = excluded.invite_code,
          server_key = coalesce(excluded.server_key, rooms.server_key),
          last_seq = max(rooms.last_seq, excluded.last_seq), updated_at = excluded.updated_at,
          owner_id = excluded.owner_id, request_from = excluded.request_from,
          request_state = excluded.request_state`),
      roomIds: s('SELECT id FROM rooms r WHERE (r.server_key = @server OR r.server_key IS NULL)'),
      deleteRoom: s('DELETE FROM rooms WHERE id = ?'),
      clearMembers: s('DELETE FROM members WHERE room_id = ?'),
      upsertMember: s(`
        INSERT INTO members (room_id, user_id, name, fingerprint, read_seq) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(room_id, user_id) DO UPDATE SET name = excluded.name,
          fingerprint = excluded.fingerprint, read_seq = max(read_seq, excluded.read_seq)`),
      memberRead: s(
        'UPDATE members SET read_seq = max(read_seq, ?) WHERE room_id = ? AND user_id = ?',
      ),
      readUpTo: s(`UPDATE rooms SET read_seq = max(read_seq, @seq),
          read_reported = max(read_reported, @seq) WHERE id = @roomId`),
      unreported: s(`SELECT id AS roomId, read_seq AS seq FROM rooms r
          WHERE read_seq > read_reported AND (r.server_key = @server OR r.server_key IS NULL)`),
      reported: s('UPDATE rooms SET read_reported = max(read_reported, ?) WHERE id = ?'),
      deleteMember: s('DELETE FROM members WHERE room_id = ? AND user_id = ?'),
      setPresence: s(`
        INSERT INTO presence (user_id, presence) VALUES (?, ?)
        ON CONFLICT(user_id) DO UPDATE SET presence = excluded.presence`),
      members: s(`
        SELECT mb.user_id AS userId, mb.name, coalesce(p.presence, 'offline') AS presence,
          mb.fingerprint, mb.read_seq AS readSeq
        FROM members mb LEFT JOIN presence p ON p.user_id = mb.user_id
        WHERE mb.room_id = ? ORDER BY mb.name COLLATE NOCASE`),
      rooms: s(`
        SELECT r.id, r.name, r.kind, r.invite_code AS inviteCode, r.owner_id AS ownerId, r.notify,
          r.request_from AS requestFrom, r.request_state AS requestState,
          (SELECT count(*) FROM messages m WHERE m.room_id = r.id AND m.seq > r.read_seq
             AND m.sender_id != @self AND m.kind = 'text') AS unread,
          (SELECT count(*) FROM messages m WHERE m.room_id = r.id AND m.seq > r.read_seq
             AND m.sender_id != @self AND m.kind = 'text' AND m.mentions_me = 1) AS mentions,
          (SELECT count(*) FROM messages m WHERE m.room_id = r.id AND m.seq IS NULL
             AND m.kind = 'text') AS pending
        FROM rooms r WHERE (r.server_key = @server OR r.server_key IS NULL) ORDER BY r.updated_at DESC`),
      lastUnsent: s(`
        SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.room_id = ? AND m.seq IS NULL
          AND m.kind = 'text' ORDER BY m.local_id DESC LIMIT 1`),
      lastSent: s(`
        SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.room_id = ? AND m.seq IS NOT NULL
          AND m.kind = 'text' ORDER BY m.seq DESC LIMIT 1`),
      insertPending: s(`
        INSERT INTO messages (room_id, client_id, sender_id, body, state, created_at, kind,
          target, reply_to, files)
        VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)`),
      holdUpload: s('INSERT INTO uploads (local_id, queued_at) VALUES (?, ?)'),
      heldUploads: s(`
        SELECT m.local_id AS localId, m.room_id AS roomId, m.client_id AS clientId, m.files
        FROM uploads u JOIN messages m ON m.local_id = u.local_id JOIN rooms r ON r.id = m.room_id
        WHERE m.state = 'pending' AND (r.server_key = @server OR r.server_key IS NULL)
        ORDER BY u.local_id`),
      releaseUpload: s('DELETE FROM uploads WHERE local_id = ?'),
      dropPending: s('DELETE FROM messages WHERE client_id = ? AND seq IS NULL'),
      filesOf: s(
        'SELECT files FROM messages WHERE files IS NOT NULL AND room_id = ? AND files LIKE ?',
      ),
      insertOutbox: s('INSERT INTO outbox (local_id, queued_at) VALUES (?, ?)'),
      byClientId: s(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.client_id = ?`),
      byLocalId: s(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.local_id = ?`),
      markSent: s(`
        UPDATE messages SET seq = ?, at = ?, state = 'sent', failure = NULL
        WHERE client_id = ? RETURNING local_id, room_id, kind, target`),
      actionsOn: s(`
        SELECT kind, body, sender_id, at, created_at FROM messages
        WHERE target = ? AND state != 'failed' ORDER BY seq IS NULL, seq, local_id`),
      hasActions: s('SELECT 1 FROM messages WHERE target = ? LIMIT 1'),
      textByClientId: s(`
        SELECT local_id, sender_id, body, original_body FROM messages
        WHERE client_id = ? AND kind = 'text'`),
      fold: s(`
        UPDATE messages SET original_body = @original, edited_at = @editedAt,
          deleted = @deleted, reactions = @reactions WHERE local_id = @localId`),
      // Apart, and only when it changed: the full-text index is rewritten on every body update.
      foldBody: s(
        'UPDATE messages SET body = @body WHERE local_id = @localId AND body IS NOT @body',
      ),
      deleteOutbox: s('DELETE FROM outbox WHERE local_id = ?'),
      markFailed: s(
        "UPDATE messages SET state = 'failed', failure = ? WHERE client_id = ? AND seq IS NULL",
      ),
      retry: s(
        "UPDATE messages SET state = 'pending', failure = NULL WHERE client_id = ? AND state = 'failed'",
      ),
      bumpAttempts: s('UPDATE outbox SET attempts = attempts + 1 WHERE local_id = ?'),
      outbox: s(`
        SELECT m.local_id AS localId, m.room_id AS roomId, m.client_id AS clientId, m.body,
          m.kind, m.target, m.reply_to AS replyTo, m.files
        FROM outbox o JOIN messages m ON m.local_id = o.local_id JOIN rooms r ON r.id = m.room_id
        WHERE m.state = 'pending' AND o.local_id > @after AND (r.server_key = @server OR r.server_key IS NULL)
        ORDER BY o.local_id LIMIT @limit`),
      outboxCount: s(`
        SELECT count(*) AS n FROM outbox o JOIN messages m ON m.local_id = o.local_id
        JOIN rooms r ON r.id = m.room_id WHERE (r.server_key = @server OR r.server_key IS NULL)`),
      insertIncoming: s(`
        INSERT INTO messages (room_id, client_id, seq, sender_id, body, state, created_at, at,
          kind, target, reply_to, mentions_me, files)
        VALUES (@roomId, @clientId, @seq, @senderId, @body, 'sent', @now, @at, @kind, @target,
          @replyTo, @mentionsMe, @files)
        ON CONFLICT(client_id) DO UPDATE SET seq = excluded.seq, at = excluded.at,
          state = 'sent', failure = NULL
        RETURNING local_id, created_at`),
      memberName: s('SELECT name FROM members WHERE room_id = ? AND user_id = ?'),
      roomSeqs: s('SELECT synced_seq AS synced, last_seq AS last FROM rooms WHERE id = ?'),
      hasSeq: s('SELECT 1 FROM messages WHERE room_id = ? AND seq = ?'),
      setSynced: s(
        'UPDATE rooms SET synced_seq = ?, last_seq = max(last_seq, ?), updated_at = ? WHERE id = ?',
      ),
      touchRoom: s('UPDATE rooms SET updated_at = ? WHERE id = ?'),
      // Two index walks instead of one sort: the unsent ones, then the newest sent ones.
      unsentPage: s(`
        SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.room_id = ? AND m.seq IS NULL
          AND m.kind = 'text' ORDER BY m.local_id DESC LIMIT ?`),
      newestSent: s(`
        SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.room_id = ? AND m.seq IS NOT NULL
          AND m.kind = 'text' ORDER BY m.seq DESC LIMIT ?`),
      olderPage: s(`
        SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.room_id = ? AND m.seq < ?
          AND m.kind = 'text' ORDER BY m.seq DESC LIMIT ?`),
      markRead: s('UPDATE rooms SET read_seq = last_seq WHERE id = ?'),
      setNotify: s('UPDATE rooms SET notify = ? WHERE id = ?'),
      hasClientId: s('SELECT 1 FROM messages WHERE client_id = ?'),
      draft: s('SELECT body FROM drafts WHERE room_id = ?'),
      saveDraft: s(`INSERT INTO drafts (room_id, body, updated_at)
                    SELECT id, @body, @now FROM rooms WHERE id = @roomId
                    ON CONFLICT (room_id) DO UPDATE SET body = excluded.body,
                      updated_at = excluded.updated_at`),
      dropDraft: s('DELETE FROM drafts WHERE room_id = ?'),
      search: s(`
        SELECT ${MESSAGE_COLUMNS}, r.name AS room_name, r.kind AS room_kind,
          highlight(messages_fts, 0, '${HIGHLIGHT_START}', '${HIGHLIGHT_END}') AS snippet
        FROM messages_fts JOIN messages m ON m.local_id = messages_fts.rowid
        JOIN rooms r ON r.id = m.room_id
        WHERE messages_fts MATCH @query AND (r.server_key = @server OR r.server_key IS NULL)
          AND m.kind = 'text'
        ORDER BY messages_fts.rowid DESC LIMIT @limit`),
    };
  }

  // ---- rooms and members ----

  /** The server the app is on now (its identity key); null while it is not known yet. */
  setServer(serverKey: string | null): boolean {
    if (this.server === serverKey) return false;
    this.server = serverKey;
    return true;
  }

  /** Stores the server's view of a room (name, code, newest seq, members with presence). */
  upsertRoom(room: RoomInput): void {
    this.db.transaction(() => {
      this.stmt.upsertRoom!.run({
        id: room.id,
        name: room.name,
        kind: room.kind,
        inviteCode: room.inviteCode,
        lastSeq: room.lastSeq,
        now: Date.now(),
        server: this.server,
        ownerId: room.ownerId ?? null,
        requestFrom: room.request?.from ?? null,
        requestState: room.request?.state ?? null,
      });
      this.stmt.clearMembers!.run(room.id);
      for (const m of room.members) this.putMember(room.id, m);
    })();
  }

  /** Makes the local rooms exactly the server's list (rooms left elsewhere disappear). */
  replaceRooms(rooms: RoomInput[]): void {
    this.db.transaction(() => {
      const keep = new Set(rooms.map((r) => r.id));
      for (const { id } of this.stmt.roomIds!.all({ server: this.server }) as { id: string }[])
        if (!keep.has(id)) this.stmt.deleteRoom!.run(id);
      for (const room of rooms) this.upsertRoom(room);
    })();
  }

  removeRoom(roomId: string): void {
    this.stmt.deleteRoom!.run(roomId);
  }

  memberChanged(roomId: string, change: 'joined' | 'left', member: MemberInput): void {
    if (!this.seqs(roomId)) return; // not (yet) known here: the room itself brings its members
    if (change === 'joined') this.putMember(roomId, member);
    else this.stmt.deleteMember!.run(roomId, member.userId);
  }

  setPresence(userId: string, presence: Presence): void {
    this.stmt.setPresence!.run(userId, presence);
  }

  members(roomId: string): Member[] {
    return this.stmt.members!.all(roomId) as Member[];
  }

  rooms(): RoomSummary[] {
    const me = this.self()?.userId ?? '';
    const rows = this.stmt.rooms!.all({ self: me, server: this.server }) as Array<
      Omit<RoomSummary, 'lastMessage' | 'members' | 'request'> & {
        requestFrom: string | null;
        requestState: DirectRequest['state'] | null;
      }
    >;
    return rows.map(({ requestFrom, requestState, ...row }) => {
      const members = this.members(row.id);
      const last = (this.stmt.lastUnsent!.get(row.id) ?? this.stmt.lastSent!.get(row.id)) as
        MessageRow | undefined;
      const other = members.find((m) => m.userId !== me);
      return {
        ...row,
        request: requestFrom && requestState ? { from: requestFrom, state: requestState } : null,
        name: row.kind === 'direct' ? (other?.name ?? row.name) : row.name,
        members,
        lastMessage: last
          ? {
              body: last.body || filePreview(last),
              senderName: this.senderName(last),
              at: last.at ?? last.created_at,
            }
          : null,
      };
    });
  }

  room(roomId: string): RoomSummary | null {
    return this.rooms().find((r) => r.id === roomId) ?? null;
  }

  /** What was typed in a room and not sent ('' when nothing). */
  draft(roomId: string): string {
    return (this.stmt.draft!.get(roomId) as { body: string } | undefined)?.body ?? '';
  }

  /** Keeps (or, when empty, forgets) a room's draft; a room not in the store keeps none. */
  saveDraft(roomId: string, body: string): void {
    if (body.trim() === '') this.stmt.dropDraft!.run(roomId);
    else this.stmt.saveDraft!.run({ roomId, body, now: Date.now() });
  }

  markRead(roomId: string): void {
    this.stmt.markRead!.run(roomId);
  }

  /**
   * Someone read a room up to `seq` (a push, or the room list): for me, in another session, it
   * moves my own position (and counts as reported); for others it is their "seen" mark.
   */
  readBy(roomId: string, userId: string, seq: number): void {
    if (userId === this.self()?.userId) this.readUpTo(roomId, seq);
    else this.stmt.memberRead!.run(seq, roomId, userId);
  }

  /** My read positions the server has not heard of yet (read offline, or its reply was lost). */
  unreportedReads(): { roomId: string; seq: number }[] {
    return this.stmt.unreported!.all({ server: this.server }) as { roomId: string; seq: number }[];
  }

  /** The server has my position up to `seq`. */
  readReported(roomId: string, seq: number): void {
    this.stmt.reported!.run(seq, roomId);
  }

  private readUpTo(roomId: string, seq: number): void {
    this.stmt.readUpTo!.run({ roomId, seq });
  }

  /** Sets when a room notifies; false when the room is not in the store. */
  setNotify(roomId: string, level: NotifyLevel): boolean {
    return this.stmt.setNotify!.run(level, roomId).changes > 0;
  }

  /** Whether a message (or an action) with this client id is stored already. */
  has(clientId: string): boolean {
    return this.stmt.hasClientId!.get(clientId) !== undefined;
  }

  // ---- sending ----

  /**
   * Writes a message as pending and queues it, in one transaction. With a clientId that is
   * already stored, returns that message instead of writing a second one.
   */
  /**
   * Writes a message (or an action on one, or a reply) as pending, with its outbox row. An
   * action is folded into its target at once, so the change shows offline; answers the message
   * as it now reads (for an action: its target).
   */
  addPending(
    roomId: string,
    body: string,
    clientId: string = newClientId(),
    extra: { action?: MessageAction; replyTo?: string; files?: WireFile[] } = {},
  ): LocalMessage {
    const me = this.self();
    if (!me) throw new Error('no identity yet');
    return this.db.transaction(() => {
      const existing = this.stmt.byClientId!.get(clientId) as MessageRow | undefined;
      if (existing) return this.shown(existing);
      const now = Date.now();
      const { lastInsertRowid } = this.stmt.insertPending!.run(
        roomId,
        clientId,
        me.userId,
        body,
        now,
        extra.action?.kind ?? 'text',
        extra.action?.target ?? null,
        extra.replyTo ?? null,
        extra.files?.length ? JSON.stringify(extra.files) : null,
      );
      // A message with files waits for its uploads before it joins the outbox (releaseUpload).
      if (extra.files?.length) this.stmt.holdUpload!.run(lastInsertRowid, now);
      else this.stmt.insertOutbox!.run(lastInsertRowid, now);
      if (extra.action) {
        this.fold(extra.action.target);
        return this.byClientId(extra.action.target)!;
      }
      this.stmt.touchRoom!.run(now, roomId);
      return this.message(Number(lastInsertRowid))!;
    })();
  }

  /** Messages whose files are still uploading, oldest first. */
  heldUploads(): { localId: number; roomId: string; clientId: string; files: WireFile[] }[] {
    return (
      this.stmt.heldUploads!.all({ server: this.server }) as {
        localId: number;
        roomId: string;
        clientId: string;
        files: string;
      }[]
    ).map((row) => ({ ...row, files: JSON.parse(row.files) as WireFile[] }));
  }

  /** Its files are on the server: the message joins the outbox (one transaction). */
  releaseUpload(localId: number): void {
    this.db.transaction(() => {
      if (this.stmt.releaseUpload!.run(localId).changes > 0)
        this.stmt.insertOutbox!.run(localId, Date.now());
    })();
  }

  /** Takes back a message that was never sent (a cancelled upload); false when it was sent. */
  dropPending(clientId: string): boolean {
    return this.stmt.dropPending!.run(clientId).changes > 0;
  }

  /** Whether a message of this room carries the blob (as a file or its thumbnail). */
  roomHasFile(roomId: string, sha256: string): boolean {
    const rows = this.stmt.filesOf!.all(roomId, `%${sha256}%`) as { files: string }[];
    return rows.some((row) =>
      (JSON.parse(row.files) as WireFile[]).some((f) => f.sha256 === sha256 || f.thumb === sha256),
    );
  }

  /** A message by clientId, only when it is a message (not an action) of this room. */
  textMessage(roomId: string, clientId: string): LocalMessage | null {
    const message = this.byClientId(clientId);
    return message && message.roomId === roomId ? message : null;
  }

  /** The server stored it: sent, out of the outbox (one transaction). */
  markSent(clientId: string, seq: number, at: number): LocalMessage | null {
    return this.db.transaction(() => {
      const row = this.stmt.markSent!.get(seq, at, clientId) as
        { local_id: number; room_id: string; kind: MessageKind; target: string | null } | undefined;
      if (!row) return null;
      this.stmt.deleteOutbox!.run(row.local_id);
      this.advanceSynced(row.room_id, [seq]);
      if (row.kind !== 'text' && row.target) {
        // Now in the room's order: folded again, since others' actions may precede it.
        this.fold(row.target);
        return this.byClientId(row.target);
      }
      return this.message(row.local_id);
    })();
  }

  /**
   * The server refused it for good; it stays in the outbox, waiting for a retry. A refused
   * action stops counting (its target reads as if it had not been done).
   */
  markFailed(clientId: string, reason: string): LocalMessage | null {
    return this.db.transaction(() => {
      this.stmt.markFailed!.run(reason, clientId);
      const row = this.stmt.byClientId!.get(clientId) as MessageRow | undefined;
      if (row && row.kind !== 'text' && row.target) {
        this.fold(row.target);
        return this.byClientId(row.target);
      }
      return row ? this.toLocal(row) : null;
    })();
  }

  retry(clientId: string): LocalMessage | null {
    this.stmt.retry!.run(clientId);
    return this.byClientId(clientId);
  }

  noteAttempt(localId: number): void {
    this.stmt.bumpAttempts!.run(localId);
  }

  /** Pending messages in the order they were written, after `afterLocalId`. */
  outbox(afterLocalId: number, limit: number): OutboxItem[] {
    return this.stmt.outbox!.all({
      after: afterLocalId,
      limit,
      server: this.server,
    }) as OutboxItem[];
  }

  outboxSize(): number {
    return (this.stmt.outboxCount!.get({ server: this.server }) as { n: number }).n;
  }

  // ---- receiving ----

  /** Stores messages from the server (pushes or history); returns them as stored. */
  storeIncoming(messages: IncomingMessage[]): LocalMessage[] {
    if (messages.length === 0) return [];
    return this.db.transaction(() => {
      const now = Date.now();
      const stored: LocalMessage[] = [];
      const me = this.self();
      // Messages whose reading changes: targets of actions, and messages with actions on them
      // that arrived before them (history read backwards); folded once, after the batch.
      const folds = new Set<string>();
      const reread: number[] = [];
      const byRoom = new Map<string, number[]>();
      const known = new Map<string, boolean>();
      const names = new Map<string, string | null>();
      for (const m of messages) {
        if (!known.has(m.roomId)) known.set(m.roomId, this.seqs(m.roomId) !== null);
        if (!known.get(m.roomId)) continue; // a room not known (yet): the room sync fetches it
        const kind = m.kind ?? 'text';
        const row = this.stmt.insertIncoming!.get({
          roomId: m.roomId,
          clientId: m.clientId,
          seq: m.seq,
          senderId: m.senderId,
          body: m.body,
          at: m.at,
          now,
          kind,
          target: m.target ?? null,
          replyTo: m.replyTo ?? null,
          files: m.files?.length ? JSON.stringify(m.files) : null,
          mentionsMe:
            kind === 'text' && me && m.senderId !== me.userId && mentions(m.body, me.displayName)
              ? 1
              : 0,
        }) as { local_id: number; created_at: number };
        // Our own message coming back (from another device or as history) clears its outbox row.
        this.stmt.deleteOutbox!.run(row.local_id);
        const seqs = byRoom.get(m.roomId) ?? [];
        seqs.push(m.seq);
        byRoom.set(m.roomId, seqs);
        if (kind !== 'text') {
          if (m.target) folds.add(m.target);
          continue;
        }
        if (this.stmt.hasActions!.get(m.clientId)) folds.add(m.clientId);
        if (m.replyTo || folds.has(m.clientId)) {
          reread.push(row.local_id);
          continue;
        }
        const nameKey = `${m.roomId}:${m.senderId}`;
        if (!names.has(nameKey)) {
          const member = this.stmt.memberName!.get(m.roomId, m.senderId) as
            { name: string } | undefined;
          names.set(nameKey, member?.name ?? null);
        }
        stored.push(
          this.toLocal({
            local_id: row.local_id,
            room_id: m.roomId,
            client_id: m.clientId,
            seq: m.seq,
            sender_id: m.senderId,
            body: m.body,
            state: 'sent',
            failure: null,
            created_at: row.created_at,
            at: m.at,
            sender_name: names.get(nameKey) ?? null,
            kind: 'text',
            target: null,
            reply_to: null,
            edited_at: null,
            deleted: 0,
            reactions: null,
            reply: null,
            files: m.files?.length ? JSON.stringify(m.files) : null,
          }),
        );
      }
      for (const [roomId, seqs] of byRoom) this.advanceSynced(roomId, seqs);
      for (const target of folds) this.fold(target);
      const shown = new Set(stored.map((m) => m.clientId));
      const changed = [
        ...reread.map((id) => this.message(id)),
        ...[...folds].map((clientId) => this.byClientId(clientId)),
      ];
      for (const message of changed)
        if (message && !shown.has(message.clientId)) {
          shown.add(message.clientId);
          stored.push(message);
        }
      return stored;
    })();
  }

  /** Where catching up must resume, and where the server said the room is. */
  seqs(roomId: string): { synced: number; last: number } | null {
    return (
      (this.stmt.roomSeqs!.get(roomId) as { synced: number; last: number } | undefined) ?? null
    );
  }

  // ---- reading ----

  /** Newest first page (pending ones included) or the sent ones before `beforeSeq`; oldest first. */
  page(roomId: string, beforeSeq: number | undefined, limit: number): LocalMessage[] {
    let rows: MessageRow[];
    if (beforeSeq === undefined) {
      const unsent = this.stmt.unsentPage!.all(roomId, limit) as MessageRow[];
      const sent = this.stmt.newestSent!.all(roomId, limit - unsent.length) as MessageRow[];
      rows = [...unsent, ...sent];
    } else rows = this.stmt.olderPage!.all(roomId, beforeSeq, limit) as MessageRow[];
    return rows.reverse().map((r) => this.toLocal(r));
  }

  /** A message by its clientId (an action's clientId names no message: null). */
  byClientId(clientId: string): LocalMessage | null {
    const row = this.stmt.byClientId!.get(clientId) as MessageRow | undefined;
    return row && row.kind === 'text' ? this.toLocal(row) : null;
  }

  message(localId: number): LocalMessage | null {
    const row = this.stmt.byLocalId!.get(localId) as MessageRow | undefined;
    return row ? this.toLocal(row) : null;
  }

  search(text: string, limit: number): SearchHit[] {
    const query = ftsQuery(text);
    if (!query) return [];
    const me = this.self()?.userId;
    const rows = this.stmt.search!.all({ query, limit, server: this.server }) as (MessageRow & {
      room_name: string;
      room_kind: string;
      snippet: string;
    })[];
    return rows.map((row) => ({
      message: this.toLocal(row),
      roomName:
        row.room_kind === 'direct'
          ? (this.members(row.room_id).find((m) => m.userId !== me)?.name ?? row.room_name)
          : row.room_name,
      snippet: row.snippet,
    }));
  }

  // ---- helpers ----

  private putMember(roomId: string, m: MemberInput): void {
    this.stmt.upsertMember!.run(roomId, m.userId, m.name, m.fingerprint ?? '', m.readSeq ?? 0);
    // The server's position of my own reading counts here too (read in another session).
    if (m.userId === this.self()?.userId && m.readSeq) this.readUpTo(roomId, m.readSeq);
    this.stmt.setPresence!.run(m.userId, m.presence);
  }

  /** Moves synced_seq forward over every seq now held without a gap. */
  private advanceSynced(roomId: string, seqs: number[]): void {
    const current = this.seqs(roomId);
    if (!current) return;
    let synced = current.synced;
    const arrived = new Set(seqs);
    while (arrived.has(synced + 1) || this.stmt.hasSeq!.get(roomId, synced + 1)) synced++;
    const newest = Math.max(current.last, ...seqs);
    this.stmt.setSynced!.run(synced, newest, Date.now(), roomId);
  }

  private senderName(row: MessageRow): string {
    if (row.sender_name) return row.sender_name;
    const me = this.self();
    return me && me.userId === row.sender_id ? me.displayName : row.sender_id.slice(0, 8);
  }

  /**
   * Folds the actions on a message into its row, in the room's order (sent ones by seq, then
   * those still waiting, as written; refused ones not at all): the last edit by its sender gives
   * the text, a delete empties it, reactions are added and taken back per person and emoji.
   */
  private fold(clientId: string): void {
    const target = this.stmt.textByClientId!.get(clientId) as
      | { local_id: number; sender_id: string; body: string; original_body: string | null }
      | undefined;
    if (!target) return; // not here yet: folded when it arrives
    const original = target.original_body ?? target.body;
    let body = original;
    let editedAt: number | null = null;
    let deleted = false;
    const reactions = new Map<string, string[]>();
    const actions = this.stmt.actionsOn!.all(clientId) as {
      kind: MessageKind;
      body: string;
      sender_id: string;
      at: number | null;
      created_at: number;
    }[];
    for (const action of actions) {
      if (action.kind === 'edit' && action.sender_id === target.sender_id) {
        body = action.body;
        editedAt = action.at ?? action.created_at;
      } else if (action.kind === 'delete') deleted = true;
      else if (action.kind === 'react' || action.kind === 'unreact') {
        const users = (reactions.get(action.body) ?? []).filter((u) => u !== action.sender_id);
        if (action.kind === 'react') users.push(action.sender_id);
        reactions.set(action.body, users);
      }
    }
    const folded = [...reactions]
      .filter(([, users]) => users.length > 0)
      .map(([emoji, users]) => ({ emoji, users }));
    this.stmt.fold!.run({
      localId: target.local_id,
      original,
      editedAt: deleted ? null : editedAt,
      deleted: deleted ? 1 : 0,
      reactions: folded.length && !deleted ? JSON.stringify(folded) : null,
    });
    this.stmt.foldBody!.run({ localId: target.local_id, body: deleted ? '' : body });
  }

  /** A row as the list shows it: an action shows as the message it changed. */
  private shown(row: MessageRow): LocalMessage {
    if (row.kind !== 'text' && row.target) return this.byClientId(row.target) ?? this.toLocal(row);
    return this.toLocal(row);
  }

  /** Members' names by id, read once per room for all the rows read in one go. */
  private memberNames(roomId: string): Map<string, string> {
    let names = this.namesCache.get(roomId);
    if (!names) {
      if (this.namesCache.size === 0) queueMicrotask(() => this.namesCache.clear());
      names = new Map(this.members(roomId).map((m) => [m.userId, m.name]));
      this.namesCache.set(roomId, names);
    }
    return names;
  }

  private reactionsOf(row: MessageRow): MessageReaction[] {
    if (!row.reactions) return [];
    const me = this.self()?.userId;
    const names = this.memberNames(row.room_id);
    return (JSON.parse(row.reactions) as { emoji: string; users: string[] }[]).map((r) => ({
      emoji: r.emoji,
      count: r.users.length,
      mine: me !== undefined && r.users.includes(me),
      names: r.users.map((u) => names.get(u) ?? u.slice(0, 8)),
    }));
  }

  private replyOf(row: MessageRow): ReplySummary | null {
    if (!row.reply) return null;
    const reply = JSON.parse(row.reply) as Omit<ReplySummary, 'deleted'> & { deleted: number };
    const me = this.self();
    return {
      ...reply,
      senderName:
        reply.senderName || (me?.userId === reply.senderId ? me.displayName : reply.senderId),
      deleted: reply.deleted === 1,
    };
  }

  private toLocal(row: MessageRow): LocalMessage {
    return {
      localId: row.local_id,
      roomId: row.room_id,
      clientId: row.client_id,
      seq: row.seq,
      senderId: row.sender_id,
      senderName: this.senderName(row),
      body: row.body,
      state: row.state,
      failure: row.failure,
      createdAt: row.created_at,
      at: row.at,
      replyTo: this.replyOf(row),
      editedAt: row.edited_at,
      deleted: row.deleted === 1,
      reactions: this.reactionsOf(row),
      files: this.filesOf(row),
    };
  }

  /** Whether a blob's bytes are on this computer (set by the media service). */
  hasMedia: (sha256: string) => boolean = () => false;

  private filesOf(row: MessageRow): LocalFile[] {
    if (!row.files || row.deleted === 1) return [];
    return (JSON.parse(row.files) as WireFile[]).map((file) => ({
      ...file,
      mime: file.mime ?? 'application/octet-stream',
      local: this.hasMedia(file.sha256),
      thumbLocal: file.thumb ? this.hasMedia(file.thumb) : false,
    }));
  }
}
