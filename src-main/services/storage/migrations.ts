import type { Database } from 'better-sqlite3';
import { ANALYTICS_EVENTS_SQL } from '../../../src-shared/analytics/dashboard';
import { ANALYTICS_TIMELINE_SQL } from '../../../src-shared/analytics/timeline';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export class MigrationError extends Error {
  constructor(
    readonly version: number,
    readonly migrationName: string,
    cause: unknown,
  ) {
    super(`migration ${version} (${migrationName}) failed: ${(cause as Error)?.message ?? cause}`);
    this.name = 'MigrationError';
  }
}

/** The local store's schema, in order. Append; never edit a migration that has shipped. */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'app metadata',
    up(db) {
      db.exec(`
        CREATE TABLE app_meta (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
        CREATE TABLE app_runs (
          id           INTEGER PRIMARY KEY,
          started_at   INTEGER NOT NULL,
          stopped_at   INTEGER,
          host         TEXT NOT NULL,
          version      TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 2,
    name: 'rooms, messages, outbox, search, cache index',
    up(db) {
      db.exec(`
        CREATE TABLE rooms (
          id           TEXT PRIMARY KEY,
          name         TEXT NOT NULL,
          kind         TEXT NOT NULL CHECK (kind IN ('group', 'direct')),
          invite_code  TEXT,
          last_seq     INTEGER NOT NULL DEFAULT 0,  -- newest seq the server has told us of
          synced_seq   INTEGER NOT NULL DEFAULT 0,  -- every message up to here has been received
          read_seq     INTEGER NOT NULL DEFAULT 0,
          updated_at   INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE members (
          room_id   TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
          user_id   TEXT NOT NULL,
          name      TEXT NOT NULL,
          PRIMARY KEY (room_id, user_id)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE presence (
          user_id   TEXT PRIMARY KEY,
          presence  TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE messages (
          local_id   INTEGER PRIMARY KEY,
          room_id    TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
          client_id  TEXT NOT NULL UNIQUE,
          seq        INTEGER,                        -- null until the server has acknowledged it
          sender_id  TEXT NOT NULL,
          body       TEXT NOT NULL,
          state      TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
          failure    TEXT,
          created_at INTEGER NOT NULL,               -- when it was written here
          at         INTEGER                         -- when the server accepted it
        ) STRICT;
        CREATE UNIQUE INDEX messages_by_seq ON messages(room_id, seq) WHERE seq IS NOT NULL;
        CREATE INDEX messages_unsent ON messages(room_id, local_id) WHERE seq IS NULL;
        CREATE INDEX messages_by_age ON messages(at) WHERE seq IS NOT NULL;
        -- A message stays here until the server acknowledges it; nothing else removes it.
        CREATE TABLE outbox (
          local_id     INTEGER PRIMARY KEY REFERENCES messages(local_id) ON DELETE CASCADE,
          queued_at    INTEGER NOT NULL,
          attempts     INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE VIRTUAL TABLE messages_fts USING fts5(
          body, content='messages', content_rowid='local_id',
          tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
          INSERT INTO messages_fts(rowid, body) VALUES (new.local_id, new.body);
        END;
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
          INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.local_id, old.body);
        END;
        CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
          INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.local_id, old.body);
          INSERT INTO messages_fts(rowid, body) VALUES (new.local_id, new.body);
        END;
        CREATE TABLE cache_entries (
          id            INTEGER PRIMARY KEY,
          category      TEXT NOT NULL CHECK (category IN ('media', 'recordings')),
          path          TEXT NOT NULL UNIQUE,
          bytes         INTEGER NOT NULL,
          pinned        INTEGER NOT NULL DEFAULT 0,  -- unsent or in-progress data: never evicted
          created_at    INTEGER NOT NULL,
          last_used_at  INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX cache_by_use ON cache_entries(category, pinned, last_used_at);
      `);
    },
  },
  {
    version: 3,
    name: 'call recordings and call quality',
    up(db) {
      db.exec(`
        CREATE TABLE recordings (
          id            TEXT PRIMARY KEY,
          call_id       TEXT NOT NULL,
          room_id       TEXT NOT NULL,
          room_name     TEXT NOT NULL,
          path          TEXT NOT NULL UNIQUE,
          state         TEXT NOT NULL CHECK (state IN ('recording', 'ready', 'failed')),
          mime_type     TEXT NOT NULL,
          video_codec   TEXT,
          audio_codec   TEXT,
          started_at    INTEGER NOT NULL,
          ended_at      INTEGER,
          duration_ms   INTEGER,
          size_bytes    INTEGER NOT NULL DEFAULT 0,
          participants  TEXT NOT NULL DEFAULT '[]',  -- JSON: [{userId, name, joinedAt, leftAt}]
          error         TEXT
        ) STRICT;
        CREATE INDEX recordings_by_start ON recordings(started_at);
        CREATE TABLE call_quality_samples (
          id            INTEGER PRIMARY KEY,
          call_id       TEXT NOT NULL,
          peer_id       TEXT NOT NULL,
          at            INTEGER NOT NULL,
          rtt_ms        REAL,
          jitter_ms     REAL,
          loss_pct      REAL,
          bitrate_kbps  REAL,
          fps           REAL,
          width         INTEGER,
          height        INTEGER
        ) STRICT;
        CREATE INDEX quality_by_time ON call_quality_samples(at);
        CREATE INDEX quality_by_call ON call_quality_samples(call_id, at);
      `);
    },
  },
  {
    version: 4,
    name: 'voice command history',
    up(db) {
      db.exec(`
        CREATE TABLE voice_history (
          id          INTEGER PRIMARY KEY,
          at          INTEGER NOT NULL,
          language    TEXT NOT NULL,
          text        TEXT NOT NULL,
          command     TEXT,
          category    TEXT,
          confidence  REAL NOT NULL,
          outcome     TEXT NOT NULL CHECK (outcome IN ('done', 'failed', 'rejected')),
          detail      TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX voice_history_by_time ON voice_history(at);
      `);
    },
  },
  {
    version: 5,
    name: 'analytics events, upload queue, rejections and definitions',
    up(db) {
      db.exec(ANALYTICS_EVENTS_SQL);
      db.exec(`
        CREATE TABLE analytics_pending (id TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE analytics_rejections (
          reason TEXT PRIMARY KEY,
          count  INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE analytics_definitions (
          key        TEXT PRIMARY KEY,
          kind       TEXT NOT NULL,
          definition TEXT NOT NULL
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 6,
    name: 'analytics timelines (packed per user and day, for funnels and journeys)',
    up(db) {
      db.exec(ANALYTICS_TIMELINE_SQL);
    },
  },
  {
    version: 7,
    name: "rooms' owner, direct-conversation requests, members' key fingerprints",
    up(db) {
      db.exec(`
        ALTER TABLE members ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
        ALTER TABLE rooms ADD COLUMN owner_id TEXT;
        ALTER TABLE rooms ADD COLUMN request_from TEXT;
        ALTER TABLE rooms ADD COLUMN request_state TEXT
          CHECK (request_state IN ('pending', 'accepted', 'blocked'));
      `);
    },
  },
  {
    version: 8,
    name: 'rooms belong to the server they came from (its identity key)',
    up(db) {
      // NULL: a room from before this version, adopted by the first server that lists it.
      db.exec(`
        ALTER TABLE rooms ADD COLUMN server_key TEXT;
        CREATE INDEX rooms_by_server ON rooms(server_key);
      `);
    },
  },
  {
    version: 9,
    name: 'drafts: what was typed in a room and not sent',
    up(db) {
      db.exec(`
        CREATE TABLE drafts (
          room_id     TEXT PRIMARY KEY REFERENCES rooms(id) ON DELETE CASCADE,
          body        TEXT NOT NULL,
          updated_at  INTEGER NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 10,
    name: 'replies, and edits, deletes and reactions as entries of the room (protocol 6)',
    up(db) {
      // An action is a row of its own (kind, target), in the room's seq like a message; what it
      // does is folded into its target's row (body, edited_at, deleted, reactions), so that lists,
      // search and counts read one row per message. original_body keeps the text as first sent.
      db.exec(`
        ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text'
          CHECK (kind IN ('text', 'edit', 'delete', 'react', 'unreact'));
        ALTER TABLE messages ADD COLUMN target TEXT;
        ALTER TABLE messages ADD COLUMN reply_to TEXT;
        ALTER TABLE messages ADD COLUMN original_body TEXT;
        ALTER TABLE messages ADD COLUMN edited_at INTEGER;
        ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE messages ADD COLUMN reactions TEXT;
        CREATE INDEX messages_by_target ON messages(target) WHERE target IS NOT NULL;
      `);
    },
  },
  {
    version: 11,
    name: "messages that mention this app's user (counted apart in the room list)",
    up(db) {
      db.exec('ALTER TABLE messages ADD COLUMN mentions_me INTEGER NOT NULL DEFAULT 0');
    },
  },
  {
    version: 12,
    name: "each room's notification level (all, mentions, never)",
    up(db) {
      db.exec("ALTER TABLE rooms ADD COLUMN notify TEXT NOT NULL DEFAULT 'all'");
    },
  },
  {
    version: 13,
    name: "read positions: each member's (from the server), and how far ours was reported",
    up(db) {
      db.exec(`
        ALTER TABLE members ADD COLUMN read_seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE rooms ADD COLUMN read_reported INTEGER NOT NULL DEFAULT 0;
      `);
    },
  },
  {
    version: 14,
    name: 'files on messages, and messages held back until their files are uploaded',
    up(db) {
      db.exec(`
        ALTER TABLE messages ADD COLUMN files TEXT;
        CREATE TABLE uploads (
          local_id   INTEGER PRIMARY KEY REFERENCES messages(local_id) ON DELETE CASCADE,
          queued_at  INTEGER NOT NULL
        );
      `);
    },
  },
];

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to the newest migration. Each migration and its version bump run in
 * one transaction, so a failing migration leaves the database exactly as it was before it.
 */
export function runMigrations(db: Database, migrations: Migration[] = MIGRATIONS): number[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migrations must be numbered 1..n; found ${m.version} at ${i + 1}`);
  });
  const current = schemaVersion(db);
  if (current > sorted.length) {
    throw new Error(`database schema ${current} is newer than this app knows (${sorted.length})`);
  }
  const applied: number[] = [];
  for (const migration of sorted.slice(current)) {
    const apply = db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    });
    try {
      apply();
    } catch (error) {
      throw new MigrationError(migration.version, migration.name, error);
    }
    applied.push(migration.version);
  }
  return applied;
}
