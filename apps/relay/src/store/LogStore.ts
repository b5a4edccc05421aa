import type { DeviceId, EntryKind, UserId } from "@botschat/protocol";

/** One stored entry of a user's log (docs/specification.md [O1]). */
export interface StoredEntry {
  seq: number;
  stream: Uint8Array;
  kind: EntryKind;
  body: Uint8Array;
  /** When the relay stored it, in ms since the epoch. */
  ts: number;
}

/** What a peer asked to append. `covers` only on snapshots ([S1]). */
export interface AppendInput {
  id: string;
  stream: Uint8Array;
  kind: EntryKind;
  body: Uint8Array;
  covers?: number;
}

/**
 * The result of an append, known only once it is durably committed ([A1]). A repeated id answers
 * with the first seq and `duplicate: true`, storing nothing ([A3]).
 */
export type AppendOutcome = { ok: true; seq: number; ts: number; duplicate: boolean } | { ok: false; code: "quota_exceeded" | "invalid"; message: string };

export interface UserRecord {
  id: UserId;
  /** Lower-cased. */
  email: string;
  passwordHash: string;
  vault: Uint8Array | null;
  createdAt: number;
  /** Highest seq ever given to this user's entries; 0 when none. Never goes down. */
  head: number;
  /** Bytes stored for this user: entry bodies and stream ids, plus blob sizes. */
  usedBytes: number;
}

export const TokenKind = { session: "session", pairing: "pairing" } as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

export interface TokenRecord {
  /** The token's public id; also the `device` of sockets opened with it. */
  id: DeviceId;
  userId: UserId;
  kind: TokenKind;
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** An invite code (registration by invitation, docs/protocol.md N22), kept by the hash of its code. */
export interface InviteRecord {
  /** Its public id: `i_` + 22 base62. */
  id: string;
  /** Who made it. */
  userId: UserId;
  label: string;
  createdAt: number;
  /** After this moment (ms since the epoch) it admits nobody. */
  expiresAt: number;
}

export interface ReadOptions {
  /** At most this many entries. */
  limit: number;
  /** Stop once this many body bytes are collected (always returns at least one entry if any). */
  maxBytes: number;
}

/**
 * Everything the relay keeps, except blob bytes (which live in files). One implementation is
 * `SqliteLogStore`; any other (PostgreSQL, …) must pass `runLogStoreConformance`.
 *
 * Every method is async so that networked stores fit; every write is durable when its promise
 * resolves. Appends from many sockets may be grouped into one commit, but each resolves only
 * after the commit that holds it.
 */
/** What remembering one append id ([A3]) costs against its user's quota, in bytes. */
export const APPEND_ID_BYTES = 64;

export interface LogStore {
  /** Creates a user; `null` when the email (case-insensitive) is taken. */
  createUser(email: string, passwordHash: string, now: number): Promise<UserRecord | null>;
  getUser(id: UserId): Promise<UserRecord | null>;
  getUserByEmail(email: string): Promise<UserRecord | null>;
  /**
   * Creates a user on a relay whose registration is not open, in one write: only when the store
   * has no user at all (the first account), or when `inviteHash` is the code hash of an invite
   * unexpired at `now`, which is then used up. `"refused"` when neither holds (the email is not
   * looked at then), `"taken"` when the email is (and the invite stays unused).
   */
  createUserIfAdmitted(email: string, passwordHash: string, now: number, inviteHash: Uint8Array | null): Promise<UserRecord | "refused" | "taken">;
  /** Whether any user exists. */
  hasUsers(): Promise<boolean>;
  /** Removes the user and everything of theirs: entries, append ids, tokens, invites, blob records. */
  deleteUser(id: UserId): Promise<void>;
  /**
   * Sets the vault once. Returns `{ok: true}` when it was unset or is byte-equal, else the stored
   * vault (PUT /api/me/vault, 409).
   */
  setVault(userId: UserId, vault: Uint8Array): Promise<{ ok: true } | { ok: false; stored: Uint8Array }>;

  /** Stores a token by the hash of its secret. */
  createToken(token: { id: DeviceId; userId: UserId; kind: TokenKind; label: string; secretHash: Uint8Array; now: number }): Promise<TokenRecord>;
  /** The token with this secret hash, or null. Does not check expiry. */
  findToken(secretHash: Uint8Array): Promise<TokenRecord | null>;
  touchToken(id: DeviceId, now: number): Promise<void>;
  listTokens(userId: UserId, kind: TokenKind): Promise<TokenRecord[]>;
  /** Deletes this user's token; false when the user has no such token. */
  deleteToken(userId: UserId, id: DeviceId): Promise<boolean>;
  /** Deletes session tokens last used (or created, if never used) before `before`; returns them. */
  deleteIdleSessions(before: number): Promise<TokenRecord[]>;
  /** Deletes every session token of this user but `keep`; returns them. Pairing tokens stay. */
  deleteOtherSessions(userId: UserId, keep: DeviceId): Promise<TokenRecord[]>;
  /**
   * Sets the user's password hash and deletes every session token of theirs but `keep`, in one
   * write, so no session outlives the old password; returns the deleted ones. Pairing tokens stay.
   * `null`, changing nothing, when `keep` is not (or no longer) a session token of this user.
   */
  changePassword(userId: UserId, passwordHash: string, keep: DeviceId): Promise<TokenRecord[] | null>;

  /**
   * Stores an invite by the hash of its code, unless the user already has `maxOutstanding`
   * invites unexpired at `now` (then `null`, nothing stored). Forgets the user's expired invites.
   */
  createInvite(
    invite: { id: string; userId: UserId; label: string; codeHash: Uint8Array; now: number; expiresAt: number },
    maxOutstanding: number,
  ): Promise<InviteRecord | null>;
  /** This user's invites unexpired at `now` (used ones are gone), oldest first. */
  listInvites(userId: UserId, now: number): Promise<InviteRecord[]>;
  /** Deletes this user's invite; false when the user has no such invite. */
  deleteInvite(userId: UserId, id: string): Promise<boolean>;
  /**
   * Forgets append ids ([A3], N5) recorded before `before`, and beyond the newest `keepPerUser`
   * of each user, giving their {@link APPEND_ID_BYTES} back to the quota; returns how many went.
   * A retry of a forgotten id is stored again as a new entry (its changes merge away).
   */
  expireAppendIds(before: number, keepPerUser: number): Promise<number>;

  /**
   * Appends one entry, group-committed. Refuses with `invalid` when `covers` is above the user's
   * head or given on an update ([S3]) or when the user does not exist, with `quota_exceeded` when
   * the body would take the user over `quotaBytes`. A snapshot deletes the stream's entries with
   * `seq <= covers` ([S1]), and is measured against the quota after that deletion, so a user at
   * the quota can still compact. A repeated id is answered before any of these checks ([A3]).
   * Each entry also costs {@link APPEND_ID_BYTES} for its remembered id, until that expires.
   */
  append(userId: UserId, input: AppendInput, now: number, quotaBytes: number): Promise<AppendOutcome>;
  /** This user's entries with `seq > since`, in increasing seq. */
  readAfter(userId: UserId, since: number, options: ReadOptions): Promise<StoredEntry[]>;

  /** Records a blob; `exists` when this user already has it (nothing changes). */
  addBlob(userId: UserId, hash: string, size: number, now: number, quotaBytes: number): Promise<"added" | "exists" | "quota_exceeded">;
  /** The size of this user's blob, or null when this user has no such blob. */
  blobSize(userId: UserId, hash: string): Promise<number | null>;
  /**
   * Forgets this user's blob and gives its size back to the quota, both in one write; answers the
   * size freed, or null when this user has no such blob (nothing changes). The caller removes the
   * file after this resolves, so a crash between leaves a file without a record, never a record
   * without a file (docs/protocol.md N23).
   */
  removeBlob(userId: UserId, hash: string): Promise<number | null>;

  /** Waits for pending commits and closes. Later calls reject. */
  close(): Promise<void>;
}
