import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { EntryKind, parseAppendId, parseBlobHash, parseStreamId, type DeviceId, type UserId } from "@botschat/protocol";
import type { AppendInput, AppendOutcome, InviteRecord, LogStore, ReadOptions, StoredEntry, TokenKind, TokenRecord, UserRecord } from "./LogStore.js";
import { APPEND_ID_BYTES } from "./LogStore.js";

/** Tuning knobs of {@link SqliteLogStore}; the defaults suit the relay. */
export interface SqliteLogStoreOptions {
  /** How long a statement waits for a lock held by another connection, in ms. Default 5000. */
  busyTimeoutMs?: number;
  /** Most appends written in one transaction; the rest go into the next one. Default 4096. */
  maxBatchAppends?: number;
  /** Most entry bytes written in one transaction (one append is always taken). Default 64 MiB. */
  maxBatchBytes?: number;
}

/**
 * The schema, one step per `user_version`. Never edit a released step: add a new one.
 *
 * Seqs count per user: an entry's seq is its user's `head` + 1, and `head` is written in the same
 * transaction and never goes down, so a seq is never handed out twice, even after compaction
 * deleted the entry that held the highest one ([O1]). Per-user counting keeps one user's seqs
 * from revealing how much everybody else writes (decision 003). `append_ids` outlives the entries
 * it points at, so a retry after compaction still gets its first ack ([A3]). The two hot tables
 * key users by the integer `users.uid` rather than the 24-character id: every commit rewrites one
 * index page per user it touches, and small keys keep those indexes (and the WAL) small.
 * `entries.kind` is 0 (update) or 1 (snapshot), which SQLite stores in no payload bytes.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    uid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    vault BLOB,
    created_at INTEGER NOT NULL,
    head INTEGER NOT NULL DEFAULT 0,
    used_bytes INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('session', 'pairing')),
    label TEXT NOT NULL,
    secret_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
  );
  CREATE INDEX tokens_by_user ON tokens (user_id, kind);
  CREATE INDEX tokens_by_idle ON tokens (kind, coalesce(last_used_at, created_at));
  CREATE TABLE entries (
    uid INTEGER NOT NULL REFERENCES users(uid),
    seq INTEGER NOT NULL,
    stream BLOB NOT NULL,
    kind INTEGER NOT NULL CHECK (kind IN (0, 1)),
    body BLOB NOT NULL,
    ts INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX entries_by_user ON entries (uid, seq);
  CREATE INDEX entries_by_stream ON entries (uid, stream, seq);
  CREATE TABLE append_ids (
    uid INTEGER NOT NULL REFERENCES users(uid),
    append_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    PRIMARY KEY (uid, append_id)
  ) WITHOUT ROWID;
  CREATE TABLE blobs (
    user_id TEXT NOT NULL REFERENCES users(id),
    hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    created INTEGER NOT NULL,
    PRIMARY KEY (user_id, hash)
  ) WITHOUT ROWID;
  `,
  // 2: append ids count toward the quota (APPEND_ID_BYTES each) and expire; the sweep finds old ones by time.
  `
  UPDATE users SET used_bytes = used_bytes + ${APPEND_ID_BYTES} * (SELECT count(*) FROM append_ids WHERE append_ids.uid = users.uid);
  CREATE INDEX append_ids_by_age ON append_ids (uid, ts);
  `,
  // 3: invite codes (registration by invitation, N22), kept by the SHA-256 of the code; a used one is deleted.
  `
  CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    label TEXT NOT NULL,
    code_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX invites_by_user ON invites (user_id, expires_at);
  `,
];

const USER_COLUMNS = "id, email, password_hash, vault, created_at, head, used_bytes";

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  vault: Buffer | null;
  created_at: number;
  head: number;
  used_bytes: number;
}
interface TokenRow {
  id: string;
  user_id: string;
  kind: string;
  label: string;
  created_at: number;
  last_used_at: number | null;
}
interface InviteRow {
  id: string;
  user_id: string;
  label: string;
  created_at: number;
  expires_at: number;
}
interface EntryRow {
  seq: number;
  stream: Buffer;
  kind: 0 | 1;
  body: Buffer;
  ts: number;
}

interface PendingAppend {
  userId: UserId;
  input: AppendInput;
  now: number;
  quotaBytes: number;
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: Error) => void;
}

/** A user's counters while a batch is being written; flushed to `users` once per batch. */
interface UserCounters {
  uid: number;
  head: number;
  used: number;
  dirty: boolean;
}

const USER_ID_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `u_` + 22 base62 characters (about 131 bits), drawn without modulo bias. */
function newUserId(): UserId {
  let id = "u_";
  while (id.length < 24) {
    for (const b of randomBytes(32)) {
      if (b < 248 && id.length < 24) id += USER_ID_CHARS[b % 62];
    }
  }
  return id as UserId;
}

/** better-sqlite3 hands out Buffers that own their memory; expose them as plain Uint8Arrays. */
function bytes(b: Buffer): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? new Uint8Array(b.buffer, 0, b.byteLength) : new Uint8Array(b);
}

function toUser(r: UserRow): UserRecord {
  return {
    id: r.id as UserId,
    email: r.email,
    passwordHash: r.password_hash,
    vault: r.vault === null ? null : bytes(r.vault),
    createdAt: r.created_at,
    head: r.head,
    usedBytes: r.used_bytes,
  };
}

function toToken(r: TokenRow): TokenRecord {
  return {
    id: r.id as DeviceId,
    userId: r.user_id as UserId,
    kind: r.kind as TokenKind,
    label: r.label,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  };
}

function toInvite(r: InviteRow): InviteRecord {
  return { id: r.id, userId: r.user_id as UserId, label: r.label, createdAt: r.created_at, expiresAt: r.expires_at };
}

const INVITE_COLUMNS = "id, user_id, label, created_at, expires_at";

const KIND_CODE = { [EntryKind.update]: 0, [EntryKind.snapshot]: 1 } as const;
const KIND_OF_CODE = [EntryKind.update, EntryKind.snapshot] as const;

function invalid(message: string): AppendOutcome {
  return { ok: false, code: "invalid", message };
}

/** Thrown inside a registration's transaction to roll it back when the email is taken. */
class EmailTaken extends Error {}

function closedError(): Error {
  return new Error("The log store is closed.");
}

/**
 * The relay's {@link LogStore} on one SQLite file (WAL, `synchronous = FULL`).
 *
 * Appends are group-committed ([A1]): every append queued during one event-loop turn is written
 * in one transaction, scheduled with `setImmediate`, and each promise resolves only after that
 * transaction committed, so acks and fan-out never run ahead of the disk. Input buffers are read
 * when the batch is written: do not reuse them before the promise settles.
 *
 * @example
 * const store = new SqliteLogStore(join(dataDir, "relay.db"));
 * const outcome = await store.append(userId, { id, stream, kind: "update", body }, Date.now(), quota);
 */
export class SqliteLogStore implements LogStore {
  readonly #db: Database.Database;
  readonly #maxBatchAppends: number;
  readonly #maxBatchBytes: number;
  #queue: PendingAppend[] = [];
  #flushScheduled: NodeJS.Immediate | null = null;
  #closed = false;

  readonly #s;
  readonly #tx;

  constructor(path: string, options: SqliteLogStoreOptions = {}) {
    this.#maxBatchAppends = options.maxBatchAppends ?? 4096;
    this.#maxBatchBytes = options.maxBatchBytes ?? 64 * 1024 * 1024;
    const db = new Database(path);
    this.#db = db;
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      db.pragma("journal_mode = WAL");
      // FULL: in WAL mode every commit syncs the WAL, so an ack survives a power cut ([A1]).
      db.pragma("synchronous = FULL");
      db.pragma("foreign_keys = ON");
      // Checkpoint every 4000 pages (16 MiB) rather than 1000: each checkpoint writes a page once
      // however often commits touched it since the last one, so fewer checkpoints write less.
      db.pragma("wal_autocheckpoint = 4000");
      db.pragma("journal_size_limit = 67108864");
      migrate(db);
    } catch (e) {
      db.close();
      throw e;
    }

    this.#s = {
      begin: db.prepare("BEGIN IMMEDIATE"),
      commit: db.prepare("COMMIT"),
      rollback: db.prepare("ROLLBACK"),

      insertUser: db.prepare<[string, string, string, number]>(
        "INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (email) DO NOTHING",
      ),
      userById: db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`),
      userByEmail: db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE email = ?`),
      userCounters: db.prepare<[string], { uid: number; head: number; used_bytes: number }>("SELECT uid, head, used_bytes FROM users WHERE id = ?"),
      updateCounters: db.prepare<[number, number, number]>("UPDATE users SET head = max(head, ?), used_bytes = ? WHERE uid = ?"),
      addUsed: db.prepare<[number, string]>("UPDATE users SET used_bytes = used_bytes + ? WHERE id = ?"),
      vault: db.prepare<[string], { vault: Buffer | null }>("SELECT vault FROM users WHERE id = ?"),
      setVault: db.prepare<[Uint8Array, string]>("UPDATE users SET vault = ? WHERE id = ?"),

      insertToken: db.prepare<[string, string, string, string, Uint8Array, number]>(
        "INSERT INTO tokens (id, user_id, kind, label, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      tokenBySecret: db.prepare<[Uint8Array], TokenRow>("SELECT id, user_id, kind, label, created_at, last_used_at FROM tokens WHERE secret_hash = ?"),
      touchToken: db.prepare<[number, string]>("UPDATE tokens SET last_used_at = ? WHERE id = ?"),
      listTokens: db.prepare<[string, string], TokenRow>(
        "SELECT id, user_id, kind, label, created_at, last_used_at FROM tokens WHERE user_id = ? AND kind = ? ORDER BY created_at, id",
      ),
      deleteToken: db.prepare<[string, string]>("DELETE FROM tokens WHERE user_id = ? AND id = ?"),
      deleteOtherSessions: db.prepare<[string, string], TokenRow>(
        `DELETE FROM tokens WHERE user_id = ? AND kind = 'session' AND id != ?
         RETURNING id, user_id, kind, label, created_at, last_used_at`,
      ),
      setPasswordHash: db.prepare<[string, string]>("UPDATE users SET password_hash = ? WHERE id = ?"),
      tokenById: db.prepare<[string], { user_id: string; kind: string }>("SELECT user_id, kind FROM tokens WHERE id = ?"),
      anyUser: db.prepare<[], { one: number }>("SELECT 1 AS one FROM users LIMIT 1"),

      insertInvite: db.prepare<[string, string, string, Uint8Array, number, number]>(
        "INSERT INTO invites (id, user_id, label, code_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      countInvites: db.prepare<[string, number], { n: number }>("SELECT count(*) AS n FROM invites WHERE user_id = ? AND expires_at > ?"),
      deleteExpiredInvites: db.prepare<[string, number]>("DELETE FROM invites WHERE user_id = ? AND expires_at <= ?"),
      listInvites: db.prepare<[string, number], InviteRow>(
        `SELECT ${INVITE_COLUMNS} FROM invites WHERE user_id = ? AND expires_at > ? ORDER BY created_at, id`,
      ),
      deleteInvite: db.prepare<[string, string]>("DELETE FROM invites WHERE user_id = ? AND id = ?"),
      // Used up: the row goes in the same transaction that creates the account it admits.
      takeInvite: db.prepare<[Uint8Array, number], { id: string }>("DELETE FROM invites WHERE code_hash = ? AND expires_at > ? RETURNING id"),
      deleteUserInvites: db.prepare<[string]>("DELETE FROM invites WHERE user_id = ?"),

      deleteIdleSessions: db.prepare<[number], TokenRow>(
        `DELETE FROM tokens WHERE kind = 'session' AND coalesce(last_used_at, created_at) < ?
         RETURNING id, user_id, kind, label, created_at, last_used_at`,
      ),

      appendId: db.prepare<[number, string], { seq: number; ts: number }>("SELECT seq, ts FROM append_ids WHERE uid = ? AND append_id = ?"),
      insertAppendId: db.prepare<[number, string, number, number]>("INSERT INTO append_ids (uid, append_id, seq, ts) VALUES (?, ?, ?, ?)"),
      insertEntry: db.prepare<[number, number, Uint8Array, number, Uint8Array, number]>(
        "INSERT INTO entries (uid, seq, stream, kind, body, ts) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      streamBytesUpTo: db.prepare<[number, Uint8Array, number], { bytes: number }>(
        "SELECT coalesce(sum(length(body) + length(stream)), 0) AS bytes FROM entries WHERE uid = ? AND stream = ? AND seq <= ?",
      ),
      deleteStreamUpTo: db.prepare<[number, Uint8Array, number]>("DELETE FROM entries WHERE uid = ? AND stream = ? AND seq <= ?"),
      readAfter: db.prepare<[string, number, number], EntryRow>(
        `SELECT seq, stream, kind, body, ts FROM entries
         WHERE uid = (SELECT uid FROM users WHERE id = ?) AND seq > ? ORDER BY seq LIMIT ?`,
      ),

      blobSize: db.prepare<[string, string], { size: number }>("SELECT size FROM blobs WHERE user_id = ? AND hash = ?"),
      insertBlob: db.prepare<[string, string, number, number]>("INSERT INTO blobs (user_id, hash, size, created) VALUES (?, ?, ?, ?)"),
      deleteBlob: db.prepare<[string, string], { size: number }>("DELETE FROM blobs WHERE user_id = ? AND hash = ? RETURNING size"),
      takeUsed: db.prepare<[number, string]>("UPDATE users SET used_bytes = max(0, used_bytes - ?) WHERE id = ?"),

      deleteUserEntries: db.prepare<[number]>("DELETE FROM entries WHERE uid = ?"),
      deleteUserAppendIds: db.prepare<[number]>("DELETE FROM append_ids WHERE uid = ?"),
      usersWithAppendIds: db.prepare<[], { uid: number }>("SELECT DISTINCT uid FROM append_ids"),
      // Older than the cutoff, or beyond the newest `keep` of the user.
      expireAppendIds: db.prepare<[number, number, number, number]>(
        `DELETE FROM append_ids WHERE uid = ? AND (ts < ? OR append_id IN (
           SELECT append_id FROM append_ids WHERE uid = ? ORDER BY ts DESC, seq DESC LIMIT -1 OFFSET ?))`,
      ),
      giveBackBytes: db.prepare<[number, number]>("UPDATE users SET used_bytes = max(0, used_bytes - ?) WHERE uid = ?"),
      deleteUserTokens: db.prepare<[string]>("DELETE FROM tokens WHERE user_id = ?"),
      deleteUserBlobs: db.prepare<[string]>("DELETE FROM blobs WHERE user_id = ?"),
      deleteUserRow: db.prepare<[string]>("DELETE FROM users WHERE id = ?"),
    };

    const s = this.#s;
    this.#tx = {
      setVault: db.transaction((userId: UserId, vault: Uint8Array): { ok: true } | { ok: false; stored: Uint8Array } => {
        const row = s.vault.get(userId);
        if (!row) throw new Error("No such user.");
        if (row.vault === null) {
          s.setVault.run(vault, userId);
          return { ok: true };
        }
        return Buffer.compare(row.vault, vault) === 0 ? { ok: true } : { ok: false, stored: bytes(row.vault) };
      }),
      deleteUser: db.transaction((userId: UserId) => {
        const user = s.userCounters.get(userId);
        if (!user) return;
        s.deleteUserEntries.run(user.uid);
        s.deleteUserAppendIds.run(user.uid);
        s.deleteUserTokens.run(userId);
        s.deleteUserInvites.run(userId);
        s.deleteUserBlobs.run(userId);
        s.deleteUserRow.run(userId);
      }),
      createUserIfAdmitted: db.transaction(
        (id: UserId, email: string, passwordHash: string, now: number, inviteHash: Uint8Array | null): "created" | "refused" => {
          const first = s.anyUser.get() === undefined;
          if (!first && (inviteHash === null || s.takeInvite.get(inviteHash, now) === undefined)) return "refused";
          if (s.insertUser.run(id, email, passwordHash, now).changes === 0) {
            // Rolls the invite back: an email already taken must not use it up.
            throw new EmailTaken();
          }
          return "created";
        },
      ),
      changePassword: db.transaction((userId: UserId, passwordHash: string, keep: DeviceId): TokenRow[] | null => {
        const kept = s.tokenById.get(keep);
        if (kept?.user_id !== userId || kept.kind !== "session") return null;
        s.setPasswordHash.run(passwordHash, userId);
        return s.deleteOtherSessions.all(userId, keep);
      }),
      createInvite: db.transaction((id: string, userId: UserId, label: string, codeHash: Uint8Array, now: number, expiresAt: number, max: number): boolean => {
        s.deleteExpiredInvites.run(userId, now);
        if (s.countInvites.get(userId, now)!.n >= max) return false;
        s.insertInvite.run(id, userId, label, codeHash, now, expiresAt);
        return true;
      }),
      addBlob: db.transaction((userId: UserId, hash: string, size: number, now: number, quotaBytes: number): "added" | "exists" | "quota_exceeded" => {
        if (s.blobSize.get(userId, hash)) return "exists";
        const user = s.userCounters.get(userId);
        if (!user) throw new Error("No such user.");
        if (user.used_bytes + size > quotaBytes) return "quota_exceeded";
        s.insertBlob.run(userId, hash, size, now);
        s.addUsed.run(size, userId);
        return "added";
      }),
      removeBlob: db.transaction((userId: UserId, hash: string): number | null => {
        const row = s.deleteBlob.get(userId, hash);
        if (!row) return null;
        s.takeUsed.run(row.size, userId);
        return row.size;
      }),
    };
  }

  async createUser(email: string, passwordHash: string, now: number): Promise<UserRecord | null> {
    this.#open();
    const id = newUserId();
    const lower = email.toLowerCase();
    if (this.#s.insertUser.run(id, lower, passwordHash, now).changes === 0) return null;
    return { id, email: lower, passwordHash, vault: null, createdAt: now, head: 0, usedBytes: 0 };
  }

  async getUser(id: UserId): Promise<UserRecord | null> {
    this.#open();
    const row = this.#s.userById.get(id);
    return row ? toUser(row) : null;
  }

  async createUserIfAdmitted(email: string, passwordHash: string, now: number, inviteHash: Uint8Array | null): Promise<UserRecord | "refused" | "taken"> {
    this.#open();
    const id = newUserId();
    const lower = email.toLowerCase();
    let outcome: "created" | "refused";
    try {
      outcome = this.#tx.createUserIfAdmitted.immediate(id, lower, passwordHash, now, inviteHash);
    } catch (e) {
      if (e instanceof EmailTaken) return "taken";
      throw e;
    }
    if (outcome === "refused") return "refused";
    return { id, email: lower, passwordHash, vault: null, createdAt: now, head: 0, usedBytes: 0 };
  }

  async hasUsers(): Promise<boolean> {
    this.#open();
    return this.#s.anyUser.get() !== undefined;
  }

  async getUserByEmail(email: string): Promise<UserRecord | null> {
    this.#open();
    const row = this.#s.userByEmail.get(email.toLowerCase());
    return row ? toUser(row) : null;
  }

  async deleteUser(id: UserId): Promise<void> {
    this.#open();
    this.#tx.deleteUser.immediate(id);
  }

  async setVault(userId: UserId, vault: Uint8Array): Promise<{ ok: true } | { ok: false; stored: Uint8Array }> {
    this.#open();
    return this.#tx.setVault.immediate(userId, vault);
  }

  async createToken(token: { id: DeviceId; userId: UserId; kind: TokenKind; label: string; secretHash: Uint8Array; now: number }): Promise<TokenRecord> {
    this.#open();
    this.#s.insertToken.run(token.id, token.userId, token.kind, token.label, token.secretHash, token.now);
    return { id: token.id, userId: token.userId, kind: token.kind, label: token.label, createdAt: token.now, lastUsedAt: null };
  }

  async findToken(secretHash: Uint8Array): Promise<TokenRecord | null> {
    this.#open();
    const row = this.#s.tokenBySecret.get(secretHash);
    return row ? toToken(row) : null;
  }

  async touchToken(id: DeviceId, now: number): Promise<void> {
    this.#open();
    this.#s.touchToken.run(now, id);
  }

  async listTokens(userId: UserId, kind: TokenKind): Promise<TokenRecord[]> {
    this.#open();
    return this.#s.listTokens.all(userId, kind).map(toToken);
  }

  async deleteToken(userId: UserId, id: DeviceId): Promise<boolean> {
    this.#open();
    return this.#s.deleteToken.run(userId, id).changes > 0;
  }

  async deleteOtherSessions(userId: UserId, keep: DeviceId): Promise<TokenRecord[]> {
    this.#open();
    return this.#s.deleteOtherSessions.all(userId, keep).map(toToken);
  }

  async changePassword(userId: UserId, passwordHash: string, keep: DeviceId): Promise<TokenRecord[] | null> {
    this.#open();
    return this.#tx.changePassword.immediate(userId, passwordHash, keep)?.map(toToken) ?? null;
  }

  async createInvite(
    invite: { id: string; userId: UserId; label: string; codeHash: Uint8Array; now: number; expiresAt: number },
    maxOutstanding: number,
  ): Promise<InviteRecord | null> {
    this.#open();
    const { id, userId, label, codeHash, now, expiresAt } = invite;
    if (!this.#tx.createInvite.immediate(id, userId, label, codeHash, now, expiresAt, maxOutstanding)) return null;
    return { id, userId, label, createdAt: now, expiresAt };
  }

  async listInvites(userId: UserId, now: number): Promise<InviteRecord[]> {
    this.#open();
    return this.#s.listInvites.all(userId, now).map(toInvite);
  }

  async deleteInvite(userId: UserId, id: string): Promise<boolean> {
    this.#open();
    return this.#s.deleteInvite.run(userId, id).changes > 0;
  }

  async deleteIdleSessions(before: number): Promise<TokenRecord[]> {
    this.#open();
    return this.#s.deleteIdleSessions.all(before).map(toToken);
  }

  async expireAppendIds(before: number, keepPerUser: number): Promise<number> {
    this.#open();
    const s = this.#s;
    return this.#db
      .transaction(() => {
        let gone = 0;
        for (const { uid } of s.usersWithAppendIds.all()) {
          const n = s.expireAppendIds.run(uid, before, uid, keepPerUser).changes;
          if (n > 0) s.giveBackBytes.run(n * APPEND_ID_BYTES, uid);
          gone += n;
        }
        return gone;
      })
      .immediate();
  }

  append(userId: UserId, input: AppendInput, now: number, quotaBytes: number): Promise<AppendOutcome> {
    if (this.#closed) return Promise.reject(closedError());
    return new Promise<AppendOutcome>((resolve, reject) => {
      this.#queue.push({ userId, input, now, quotaBytes, resolve, reject });
      this.#flushScheduled ??= setImmediate(this.#flushTurn);
    });
  }

  async readAfter(userId: UserId, since: number, options: ReadOptions): Promise<StoredEntry[]> {
    this.#open();
    const out: StoredEntry[] = [];
    if (options.limit <= 0) return out;
    let size = 0;
    for (const row of this.#s.readAfter.iterate(userId, since, Math.floor(options.limit))) {
      if (out.length > 0 && size + row.body.byteLength > options.maxBytes) break;
      out.push({ seq: row.seq, stream: bytes(row.stream), kind: KIND_OF_CODE[row.kind], body: bytes(row.body), ts: row.ts });
      size += row.body.byteLength;
    }
    return out;
  }

  async addBlob(userId: UserId, hash: string, size: number, now: number, quotaBytes: number): Promise<"added" | "exists" | "quota_exceeded"> {
    this.#open();
    if (!parseBlobHash(hash)) throw new TypeError("A blob hash is 64 lowercase hex characters.");
    if (!Number.isSafeInteger(size) || size < 0) throw new TypeError("A blob size is a non-negative integer.");
    return this.#tx.addBlob.immediate(userId, hash, size, now, quotaBytes);
  }

  async blobSize(userId: UserId, hash: string): Promise<number | null> {
    this.#open();
    return this.#s.blobSize.get(userId, hash)?.size ?? null;
  }

  async removeBlob(userId: UserId, hash: string): Promise<number | null> {
    this.#open();
    return this.#tx.removeBlob.immediate(userId, hash);
  }

  /** Writes every queued append, then closes the database. A second call does nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#flushScheduled) clearImmediate(this.#flushScheduled);
    this.#flushScheduled = null;
    while (this.#queue.length > 0) this.#writeBatch(this.#takeBatch());
    try {
      this.#db.pragma("optimize");
    } finally {
      this.#db.close();
    }
  }

  #open(): void {
    if (this.#closed) throw closedError();
  }

  readonly #flushTurn = (): void => {
    this.#flushScheduled = null;
    this.#writeBatch(this.#takeBatch());
    // Whatever did not fit goes in the next turn, after pending I/O had its chance.
    if (this.#queue.length > 0) this.#flushScheduled = setImmediate(this.#flushTurn);
  };

  #takeBatch(): PendingAppend[] {
    let n = 0;
    let size = 0;
    while (n < this.#queue.length && n < this.#maxBatchAppends) {
      const input = this.#queue[n]!.input;
      const entryBytes = (input.body?.byteLength ?? 0) + (input.stream?.byteLength ?? 0);
      if (n > 0 && size + entryBytes > this.#maxBatchBytes) break;
      size += entryBytes;
      n++;
    }
    return this.#queue.splice(0, n);
  }

  /** One transaction for the whole batch; settles every promise only after it committed or failed. */
  #writeBatch(batch: PendingAppend[]): void {
    if (batch.length === 0) return;
    const s = this.#s;
    const outcomes: AppendOutcome[] = [];
    const counters = new Map<UserId, UserCounters | null>();
    try {
      s.begin.run();
      for (const p of batch) outcomes.push(this.#applyAppend(p, counters));
      for (const c of counters.values()) {
        if (c?.dirty) s.updateCounters.run(c.head, c.used, c.uid);
      }
      s.commit.run();
    } catch (e) {
      try {
        if (this.#db.inTransaction) s.rollback.run();
      } catch {
        // The transaction is already gone; the original error is what callers need.
      }
      const error = e instanceof Error ? e : new Error(String(e));
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => p.resolve(outcomes[i]!));
  }

  /**
   * Applies one append inside the batch's transaction. Refusals are outcomes and write nothing;
   * only a database failure throws (and then the whole batch fails).
   */
  #applyAppend(p: PendingAppend, counters: Map<UserId, UserCounters | null>): AppendOutcome {
    const s = this.#s;
    const { userId, input, now, quotaBytes } = p;
    const { id, stream, kind, body, covers } = input;
    if (typeof id !== "string" || !parseAppendId(id)) return invalid("The append id must be 1 to 64 characters.");
    if (!(stream instanceof Uint8Array) || !parseStreamId(stream)) return invalid("The stream id must be 16 to 64 bytes.");
    if (!(body instanceof Uint8Array)) return invalid("The body must be bytes.");
    if (kind !== EntryKind.update && kind !== EntryKind.snapshot) return invalid("The kind must be update or snapshot.");

    let user = counters.get(userId);
    if (user === undefined) {
      const row = s.userCounters.get(userId);
      user = row ? { uid: row.uid, head: row.head, used: row.used_bytes, dirty: false } : null;
      counters.set(userId, user);
    }
    if (!user) return invalid("No such user.");

    // [A3] before anything else: a retry is answered with the first ack even if it would now be refused.
    const prior = s.appendId.get(user.uid, id);
    if (prior) return { ok: true, seq: prior.seq, ts: prior.ts, duplicate: true };

    if (covers !== undefined) {
      if (kind !== EntryKind.snapshot) return invalid("covers is only allowed on snapshots.");
      if (!Number.isSafeInteger(covers) || covers < 0) return invalid("covers must be a non-negative integer.");
      if (covers > user.head) return invalid(`covers ${covers} is above the head ${user.head}.`);
    }

    const size = body.byteLength + stream.byteLength + APPEND_ID_BYTES;
    // A snapshot is checked against the usage it leaves behind, so a user at the quota can still
    // compact their way back under it.
    const freed = covers !== undefined && covers > 0 ? s.streamBytesUpTo.get(user.uid, stream, covers)!.bytes : 0;
    if (user.used - freed + size > quotaBytes) {
      return { ok: false, code: "quota_exceeded", message: "The storage quota is used up." };
    }

    const seq = user.head + 1;
    s.insertEntry.run(user.uid, seq, stream, KIND_CODE[kind], body, now);
    s.insertAppendId.run(user.uid, id, seq, now);
    if (freed > 0) s.deleteStreamUpTo.run(user.uid, stream, covers!);
    user.used += size - freed;
    user.head = Math.max(user.head, seq);
    user.dirty = true;
    return { ok: true, seq, ts: now, duplicate: false };
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(`The database has schema version ${version}, newer than this relay knows (${MIGRATIONS.length}). Run a newer relay.`);
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
