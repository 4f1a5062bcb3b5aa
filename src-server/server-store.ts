/**
 * The server's storage: users, rooms, membership and messages in SQLite (WAL, so a killed
 * process loses nothing it acknowledged). Every write that a client is told about has committed
 * before the reply is sent.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import {
  INVITE_ALPHABET,
  INVITE_CODE_LENGTH,
  type MessageKind,
  type WireFile,
  type RoomKind,
  type WireMessage,
} from '../src-shared/protocol/entities';

export interface StoredRoom {
  id: string;
  name: string;
  kind: RoomKind;
  inviteCode: string | null;
  lastSeq: number;
}

export interface StoredMember {
  userId: string;
  name: string;
  /** The raw public key (base64), for fingerprints. */
  publicKey?: string;
  /** Up to which seq they have read the room (members of a room only). */
  readSeq?: number;
}

export interface DirectRequestRow {
  from: string;
  to: string;
  state: 'pending' | 'accepted' | 'blocked';
}

export interface AcceptResult {
  message: WireMessage;
  /** True when this clientId had been stored before: nothing new was written. */
  duplicate: boolean;
}

const SCHEMA_VERSION = 5;
const SCHEMA_V1 = `
  CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    public_key  TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE rooms (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('group', 'direct')),
    invite_code  TEXT UNIQUE,
    direct_key   TEXT UNIQUE,
    created_by   TEXT NOT NULL REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    last_seq     INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE TABLE members (
    room_id    TEXT NOT NULL REFERENCES rooms(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    joined_at  INTEGER NOT NULL,
    PRIMARY KEY (room_id, user_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX members_by_user ON members(user_id);
  CREATE TABLE messages (
    room_id    TEXT NOT NULL REFERENCES rooms(id),
    seq        INTEGER NOT NULL,
    sender_id  TEXT NOT NULL REFERENCES users(id),
    client_id  TEXT NOT NULL,
    body       TEXT NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (room_id, seq),
    UNIQUE (sender_id, client_id)
  ) STRICT, WITHOUT ROWID;
`;
/**
 * Version 2: revoked invite codes (so a join can say "revoked"), server administrators, and
 * direct-conversation requests from people who share no room.
 */
const SCHEMA_V2 = `
  CREATE TABLE revoked_invites (
    code        TEXT PRIMARY KEY,
    room_id     TEXT NOT NULL REFERENCES rooms(id),
    revoked_at  INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE admins (
    user_id   TEXT PRIMARY KEY,
    added_at  INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE direct_requests (
    room_id     TEXT PRIMARY KEY REFERENCES rooms(id),
    from_id     TEXT NOT NULL REFERENCES users(id),
    to_id       TEXT NOT NULL REFERENCES users(id),
    state       TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'blocked')),
    updated_at  INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
`;

/** Version 3: actions on messages (edits, deletes, reactions) and replies, in the room's seq. */
const SCHEMA_V3 = `
  ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text'
    CHECK (kind IN ('text', 'edit', 'delete', 'react', 'unreact'));
  ALTER TABLE messages ADD COLUMN target TEXT;
  ALTER TABLE messages ADD COLUMN reply_to TEXT;
  CREATE INDEX messages_by_client ON messages(room_id, client_id);
  CREATE INDEX messages_by_target ON messages(room_id, target) WHERE target IS NOT NULL;
`;

/** Version 4: each member's read position in the room (moves forward only). */
const SCHEMA_V4 = `
  ALTER TABLE members ADD COLUMN read_seq INTEGER NOT NULL DEFAULT 0;
`;

/**
 * Version 5: files. Blobs by hash (type found in the content), who uploaded each one whole (only
 * they may attach it), and which rooms' messages carry it (only their members may fetch it).
 */
const SCHEMA_V5 = `
  CREATE TABLE blobs (
    sha256      TEXT PRIMARY KEY,
    size        INTEGER NOT NULL,
    mime        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE blob_owners (
    sha256   TEXT NOT NULL REFERENCES blobs(sha256),
    user_id  TEXT NOT NULL,
    PRIMARY KEY (sha256, user_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE room_files (
    room_id  TEXT NOT NULL REFERENCES rooms(id),
    sha256   TEXT NOT NULL REFERENCES blobs(sha256),
    PRIMARY KEY (room_id, sha256)
  ) STRICT, WITHOUT ROWID;
  ALTER TABLE messages ADD COLUMN files TEXT;
`;

interface MessageRow {
  room_id: string;
  seq: number;
  sender_id: string;
  client_id: string;
  body: string;
  at: number;
  kind: MessageKind;
  target: string | null;
  reply_to: string | null;
  files: string | null;
}

/** How a message is referred to by actions and replies, and whether it was deleted. */
export interface MessageRef {
  senderId: string;
  deleted: boolean;
}

const toWire = (row: MessageRow): WireMessage => ({
  roomId: row.room_id,
  seq: row.seq,
  clientId: row.client_id,
  senderId: row.sender_id,
  body: row.body,
  at: row.at,
  kind: row.kind,
  ...(row.target ? { target: row.target } : {}),
  ...(row.reply_to ? { replyTo: row.reply_to } : {}),
  ...(row.files ? { files: JSON.parse(row.files) as WireFile[] } : {}),
});

function randomCode(): string {
  const bytes = crypto.randomBytes(INVITE_CODE_LENGTH);
  return Array.from(bytes, (b) => INVITE_ALPHABET[b % INVITE_ALPHABET.length]).join('');
}

export class ServerStore {
  private readonly db: Database;
  private readonly stmt: Record<string, Statement>;

  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new BetterSqlite3(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION)
      throw new Error(`server database schema ${version} is newer than this server knows`);
    if (version < SCHEMA_VERSION) {
      this.db.transaction(() => {
        if (version < 1) this.db.exec(SCHEMA_V1);
        if (version < 2) {
          this.db.exec(SCHEMA_V2);
          // Codes of 8 characters could be guessed: every room gets a new one, the old revoked.
          const now = Date.now();
          const rooms = this.db
            .prepare("SELECT id, invite_code AS code FROM rooms WHERE kind = 'group'")
            .all() as Array<{ id: string; code: string | null }>;
          for (const room of rooms) {
            if (room.code)
              this.db
                .prepare('INSERT OR IGNORE INTO revoked_invites VALUES (?, ?, ?)')
                .run(room.code, room.id, now);
            this.db
              .prepare('UPDATE rooms SET invite_code = ? WHERE id = ?')
              .run(randomCode(), room.id);
          }
        }
        if (version < 3) this.db.exec(SCHEMA_V3);
        if (version < 4) this.db.exec(SCHEMA_V4);
        if (version < 5) this.db.exec(SCHEMA_V5);
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
    }
    const s = (sql: string) => this.db.prepare(sql);
    this.stmt = {
      userByKey: s('SELECT id, name FROM users WHERE public_key = ?'),
      userById: s('SELECT id AS userId, name, public_key AS publicKey FROM users WHERE id = ?'),
      insertUser: s('INSERT INTO users (id, public_key, name, created_at) VALUES (?, ?, ?, ?)'),
      renameUser: s('UPDATE users SET name = ? WHERE id = ?'),
      room: s(
        'SELECT id, name, kind, invite_code AS inviteCode, last_seq AS lastSeq FROM rooms WHERE id = ?',
      ),
      roomByCode: s(
        'SELECT id, name, kind, invite_code AS inviteCode, last_seq AS lastSeq FROM rooms WHERE invite_code = ?',
      ),
      ownerOf: s('SELECT created_by AS ownerId, kind FROM rooms WHERE id = ?'),
      roomByDirectKey: s('SELECT id FROM rooms WHERE direct_key = ?'),
      insertRoom: s(
        `INSERT INTO rooms (id, name, kind, invite_code, direct_key, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      roomsOf: s(
        `SELECT r.id, r.name, r.kind, r.invite_code AS inviteCode, r.last_seq AS lastSeq
         FROM members m JOIN rooms r ON r.id = m.room_id WHERE m.user_id = ? ORDER BY r.created_at`,
      ),
      isMember: s('SELECT 1 FROM members WHERE room_id = ? AND user_id = ?'),
      addMember: s('INSERT OR IGNORE INTO members (room_id, user_id, joined_at) VALUES (?, ?, ?)'),
      removeMember: s('DELETE FROM members WHERE room_id = ? AND user_id = ?'),
      membersOf: s(
        `SELECT u.id AS userId, u.name, u.public_key AS publicKey, m.read_seq AS readSeq
         FROM members m
         JOIN users u ON u.id = m.user_id WHERE m.room_id = ? ORDER BY m.joined_at`,
      ),
      // Forward only, and never past the room's last message.
      markRead:
        s(`UPDATE members SET read_seq = min(?, (SELECT last_seq FROM rooms WHERE id = room_id))
         WHERE room_id = ? AND user_id = ? AND read_seq < ?
           AND read_seq < (SELECT last_seq FROM rooms WHERE id = room_id)
         RETURNING read_seq AS readSeq`),
      blob: s('SELECT size, mime FROM blobs WHERE sha256 = ?'),
      addBlob: s(
        'INSERT OR IGNORE INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, ?, ?)',
      ),
      ownsBlob: s('SELECT 1 FROM blob_owners WHERE sha256 = ? AND user_id = ?'),
      ownBlob: s('INSERT OR IGNORE INTO blob_owners (sha256, user_id) VALUES (?, ?)'),
      roomHasFile: s('SELECT 1 FROM room_files WHERE room_id = ? AND sha256 = ?'),
      // Forwarding: a file of any room one is a member of may be attached elsewhere.
      seesFile: s(`SELECT 1 FROM room_files f JOIN members m ON m.room_id = f.room_id
          WHERE f.sha256 = ? AND m.user_id = ? LIMIT 1`),
      addRoomFile: s('INSERT OR IGNORE INTO room_files (room_id, sha256) VALUES (?, ?)'),
      dropRoomFile: s('DELETE FROM room_files WHERE room_id = ? AND sha256 = ?'),
      filesOfMessage: s(`SELECT files FROM messages INDEXED BY messages_by_client
          WHERE room_id = ? AND client_id = ? AND kind = 'text'`),
      // Other messages of the room still carrying a blob (not deleted): it stays fetchable.
      otherCarriers: s(`SELECT m.files FROM messages m
          WHERE m.room_id = ? AND m.client_id != ? AND m.files LIKE ? AND m.kind = 'text'
            AND NOT EXISTS (SELECT 1 FROM messages d INDEXED BY messages_by_target
              WHERE d.room_id = m.room_id AND d.target = m.client_id AND d.target IS NOT NULL
                AND d.kind = 'delete')`),
      roomIdsOf: s('SELECT room_id AS id FROM members WHERE user_id = ?'),
      bySenderClient: s('SELECT * FROM messages WHERE sender_id = ? AND client_id = ?'),
      bumpSeq: s('UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq AS seq'),
      insertMessage: s(
        `INSERT INTO messages (room_id, seq, sender_id, client_id, body, at, kind, target, reply_to,
           files)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // INDEXED BY: without statistics SQLite would walk the whole room by its primary key.
      messageRef: s(`SELECT sender_id AS senderId,
          EXISTS (SELECT 1 FROM messages d INDEXED BY messages_by_target
            WHERE d.room_id = m.room_id AND d.target = m.client_id AND d.target IS NOT NULL
              AND d.kind = 'delete') AS deleted
        FROM messages m INDEXED BY messages_by_client
        WHERE m.room_id = ? AND m.client_id = ? AND m.kind = 'text'`),
      after: s(
        'SELECT * FROM messages WHERE room_id = ? AND seq > ? AND seq < ? ORDER BY seq LIMIT ?',
      ),
      before: s('SELECT * FROM messages WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?'),
    };
  }

  /** Finds or registers the user with this public key; the name is updated when it changed. */
  upsertUser(userId: string, publicKey: string, name: string): StoredMember {
    const existing = this.stmt.userByKey!.get(publicKey) as
      { id: string; name: string } | undefined;
    if (existing) {
      if (existing.name !== name) this.stmt.renameUser!.run(name, existing.id);
      return { userId: existing.id, name };
    }
    this.stmt.insertUser!.run(userId, publicKey, name, Date.now());
    return { userId, name };
  }

  user(userId: string): StoredMember | null {
    return (this.stmt.userById!.get(userId) as StoredMember | undefined) ?? null;
  }

  room(roomId: string): StoredRoom | null {
    return (this.stmt.room!.get(roomId) as StoredRoom | undefined) ?? null;
  }

  /** Who may moderate the room's calls: its creator; nobody in a direct conversation. */
  ownerOf(roomId: string): string | null {
    const row = this.stmt.ownerOf!.get(roomId) as { ownerId: string; kind: string } | undefined;
    return row && row.kind === 'group' ? row.ownerId : null;
  }

  roomsOf(userId: string): StoredRoom[] {
    return this.stmt.roomsOf!.all(userId) as StoredRoom[];
  }

  roomIdsOf(userId: string): string[] {
    return (this.stmt.roomIdsOf!.all(userId) as { id: string }[]).map((r) => r.id);
  }

  members(roomId: string): StoredMember[] {
    return this.stmt.membersOf!.all(roomId) as StoredMember[];
  }

  blob(sha256: string): { size: number; mime: string } | null {
    return (this.stmt.blob!.get(sha256) as { size: number; mime: string } | undefined) ?? null;
  }

  addBlob(sha256: string, size: number, mime: string): void {
    this.stmt.addBlob!.run(sha256, size, mime, Date.now());
  }

  /** Whether the user uploaded this blob whole (knowing its hash is not enough). */
  ownsBlob(sha256: string, userId: string): boolean {
    return this.stmt.ownsBlob!.get(sha256, userId) !== undefined;
  }

  ownBlob(sha256: string, userId: string): void {
    this.stmt.ownBlob!.run(sha256, userId);
  }

  /** Whether a message of the room carries this blob (so its members may fetch it). */
  roomHasFile(roomId: string, sha256: string): boolean {
    return this.stmt.roomHasFile!.get(roomId, sha256) !== undefined;
  }

  /** Whether the user may attach this blob: uploaded it, or sees it in one of their rooms. */
  mayAttach(sha256: string, userId: string): boolean {
    return this.ownsBlob(sha256, userId) || this.stmt.seesFile!.get(sha256, userId) !== undefined;
  }

  /** Moves a member's read position forward; answers the new one, or null when it did not move. */
  markRead(roomId: string, userId: string, seq: number): number | null {
    const row = this.stmt.markRead!.get(seq, roomId, userId, seq) as
      { readSeq: number } | undefined;
    return row ? row.readSeq : null;
  }

  isMember(roomId: string, userId: string): boolean {
    return this.stmt.isMember!.get(roomId, userId) !== undefined;
  }

  createRoom(userId: string, name: string): StoredRoom {
    return this.db.transaction(() => {
      const id = `r_${crypto.randomBytes(12).toString('hex')}`;
      // Codes are random; a clash with an existing one is retried (UNIQUE makes it safe).
      for (let attempt = 0; ; attempt++) {
        const code = randomCode();
        try {
          this.stmt.insertRoom!.run(id, name, 'group', code, null, userId, Date.now());
          break;
        } catch (error) {
          if (attempt > 5) throw error;
        }
      }
      this.stmt.addMember!.run(id, userId, Date.now());
      return this.room(id)!;
    })();
  }

  /** The direct conversation's id between two users, if there is one. */
  directRoomId(a: string, b: string): string | null {
    const row = this.stmt.roomByDirectKey!.get([a, b].sort().join(':')) as
      { id: string } | undefined;
    return row?.id ?? null;
  }

  /** The direct conversation between two users, created on first use. */
  openDirect(userId: string, otherId: string, name: string): StoredRoom {
    return this.db.transaction(() => {
      const key = [userId, otherId].sort().join(':');
      const existing = this.stmt.roomByDirectKey!.get(key) as { id: string } | undefined;
      const id = existing?.id ?? `r_${crypto.randomBytes(12).toString('hex')}`;
      if (!existing) this.stmt.insertRoom!.run(id, name, 'direct', null, key, userId, Date.now());
      this.stmt.addMember!.run(id, userId, Date.now());
      this.stmt.addMember!.run(id, otherId, Date.now());
      return this.room(id)!;
    })();
  }

  /** A new invite code for the room; the old one is kept as revoked. */
  resetInvite(roomId: string): StoredRoom {
    return this.db.transaction(() => {
      const room = this.room(roomId);
      if (!room) throw new Error('no such room');
      if (room.inviteCode)
        this.db
          .prepare('INSERT OR IGNORE INTO revoked_invites VALUES (?, ?, ?)')
          .run(room.inviteCode, roomId, Date.now());
      for (let attempt = 0; ; attempt++) {
        try {
          this.db
            .prepare('UPDATE rooms SET invite_code = ? WHERE id = ?')
            .run(randomCode(), roomId);
          break;
        } catch (error) {
          if (attempt > 5) throw error;
        }
      }
      return this.room(roomId)!;
    })();
  }

  /** Whether the code belonged to a room and was revoked. */
  inviteRevoked(code: string): boolean {
    return this.db.prepare('SELECT 1 FROM revoked_invites WHERE code = ?').get(code) !== undefined;
  }

  /** When the user registered (ms), or null for an unknown user. */
  userCreatedAt(userId: string): number | null {
    const row = this.db.prepare('SELECT created_at AS at FROM users WHERE id = ?').get(userId) as
      { at: number } | undefined;
    return row?.at ?? null;
  }

  isAdmin(userId: string): boolean {
    return this.db.prepare('SELECT 1 FROM admins WHERE user_id = ?').get(userId) !== undefined;
  }

  addAdmin(userId: string): void {
    this.db.prepare('INSERT OR IGNORE INTO admins VALUES (?, ?)').run(userId, Date.now());
  }

  removeAdmin(userId: string): boolean {
    return this.db.prepare('DELETE FROM admins WHERE user_id = ?').run(userId).changes > 0;
  }

  admins(): string[] {
    return (
      this.db.prepare('SELECT user_id AS id FROM admins ORDER BY added_at').all() as {
        id: string;
      }[]
    ).map((r) => r.id);
  }

  adminCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM admins').get() as { n: number }).n;
  }

  /** Whether a user with this public key is registered already. */
  knowsKey(publicKey: string): boolean {
    return this.stmt.userByKey!.get(publicKey) !== undefined;
  }

  /** Whether the two share a group room (then a direct conversation needs no request). */
  shareRoom(a: string, b: string): boolean {
    return (
      this.db
        .prepare(
          `SELECT 1 FROM members m1 JOIN members m2 ON m2.room_id = m1.room_id
           JOIN rooms r ON r.id = m1.room_id
           WHERE m1.user_id = ? AND m2.user_id = ? AND r.kind = 'group' LIMIT 1`,
        )
        .get(a, b) !== undefined
    );
  }

  directRequest(roomId: string): DirectRequestRow | null {
    return (
      (this.db
        .prepare(
          'SELECT from_id AS "from", to_id AS "to", state FROM direct_requests WHERE room_id = ?',
        )
        .get(roomId) as DirectRequestRow | undefined) ?? null
    );
  }

  setDirectRequest(
    roomId: string,
    from: string,
    to: string,
    state: DirectRequestRow['state'],
  ): void {
    this.db
      .prepare(
        `INSERT INTO direct_requests (room_id, from_id, to_id, state, updated_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (room_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      )
      .run(roomId, from, to, state, Date.now());
  }

  roomByInvite(code: string): StoredRoom | null {
    return (this.stmt.roomByCode!.get(code) as StoredRoom | undefined) ?? null;
  }

  /** Adds a member; false when they already were one. */
  join(roomId: string, userId: string): boolean {
    return this.stmt.addMember!.run(roomId, userId, Date.now()).changes > 0;
  }

  leave(roomId: string, userId: string): boolean {
    return this.stmt.removeMember!.run(roomId, userId).changes > 0;
  }

  /**
   * Stores a message under the room's next seq, unless this sender already sent this clientId:
   * then the stored one is returned and nothing is written.
   */
  accept(
    roomId: string,
    senderId: string,
    clientId: string,
    body: string,
    action: { kind?: MessageKind; target?: string; replyTo?: string; files?: WireFile[] } = {},
  ): AcceptResult {
    return this.db.transaction((): AcceptResult => {
      const existing = this.sentBefore(senderId, clientId);
      if (existing) return { message: existing, duplicate: true };
      const { seq } = this.stmt.bumpSeq!.get(roomId) as { seq: number };
      const at = Date.now();
      const kind = action.kind ?? 'text';
      this.stmt.insertMessage!.run(
        roomId,
        seq,
        senderId,
        clientId,
        body,
        at,
        kind,
        action.target ?? null,
        action.replyTo ?? null,
        action.files?.length ? JSON.stringify(action.files) : null,
      );
      if (kind === 'delete' && action.target) this.revokeFiles(roomId, action.target);
      for (const file of action.files ?? []) {
        this.stmt.addRoomFile!.run(roomId, file.sha256);
        if (file.thumb) this.stmt.addRoomFile!.run(roomId, file.thumb);
      }
      const message: WireMessage = { roomId, seq, clientId, senderId, body, at, kind };
      if (action.target) message.target = action.target;
      if (action.replyTo) message.replyTo = action.replyTo;
      if (action.files?.length) message.files = action.files;
      return { message, duplicate: false };
    })();
  }

  /**
   * A message deleted for everyone takes its files with it: the room's members can no longer
   * fetch them, unless another message of the room still carries the same file.
   */
  private revokeFiles(roomId: string, target: string): void {
    const row = this.stmt.filesOfMessage!.get(roomId, target) as
      { files: string | null } | undefined;
    if (!row?.files) return;
    for (const file of JSON.parse(row.files) as WireFile[])
      for (const sha of file.thumb ? [file.sha256, file.thumb] : [file.sha256]) {
        const others = this.stmt.otherCarriers!.all(roomId, target, `%${sha}%`) as {
          files: string;
        }[];
        const carried = others.some((o) =>
          (JSON.parse(o.files) as WireFile[]).some((f) => f.sha256 === sha || f.thumb === sha),
        );
        if (!carried) this.stmt.dropRoomFile!.run(roomId, sha);
      }
  }

  /** What this sender stored earlier under this clientId (a resend), if anything. */
  sentBefore(senderId: string, clientId: string): WireMessage | null {
    const row = this.stmt.bySenderClient!.get(senderId, clientId) as MessageRow | undefined;
    return row ? toWire(row) : null;
  }

  /** A message of the room by its clientId (not an action), for actions and replies to name. */
  messageRef(roomId: string, clientId: string): MessageRef | null {
    const row = this.stmt.messageRef!.get(roomId, clientId) as
      { senderId: string; deleted: number } | undefined;
    return row ? { senderId: row.senderId, deleted: row.deleted === 1 } : null;
  }

  /** Oldest first after `afterSeq`, or the newest page before `beforeSeq` (returned oldest first). */
  history(
    roomId: string,
    range: { afterSeq?: number; beforeSeq?: number },
    limit: number,
  ): WireMessage[] {
    const rows =
      range.afterSeq !== undefined
        ? (this.stmt.after!.all(
            roomId,
            range.afterSeq,
            range.beforeSeq ?? Number.MAX_SAFE_INTEGER,
            limit,
          ) as MessageRow[])
        : (
            this.stmt.before!.all(
              roomId,
              range.beforeSeq ?? Number.MAX_SAFE_INTEGER,
              limit,
            ) as MessageRow[]
          ).reverse();
    return rows.map(toWire);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
