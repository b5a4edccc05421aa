import { PeerKind, TokenPrefix, type DeviceId, type UserId } from "@botschat/protocol";
import { MemoryLog } from "./MemoryLog.js";

/** A user of a {@link MemoryRelay}: the account, its vault and its log. */
export interface MemoryAccount {
  id: UserId;
  /** Lower-cased. */
  email: string;
  password: string;
  vault: Uint8Array | null;
  log: MemoryLog;
}

export const TokenKind = { session: "session", pairing: "pairing" } as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** A token the relay issued ([X3]); its `id` is the `device` of sockets opened with it. */
export interface MemoryToken {
  id: DeviceId;
  userId: UserId;
  kind: TokenKind;
  label: string;
  createdAt: number;
}

/** A token just issued: its record and the secret, shown this once. */
export interface IssuedToken {
  record: MemoryToken;
  token: string;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const TOKEN_SHAPE = /^bc_(ses|pat)_[0-9A-Za-z]{32,128}$/;

/** `n` base62 characters from the CSPRNG, without modulo bias. */
function randomBase62(n: number): string {
  let out = "";
  while (out.length < n) {
    for (const b of crypto.getRandomValues(new Uint8Array(n * 2))) {
      if (b < 248 && out.length < n) out += BASE62[b % 62];
    }
  }
  return out;
}

/**
 * The accounts and tokens of a {@link MemoryRelay}, in the relay's formats (N11): `u_`/`d_` ids,
 * `bc_ses_`/`bc_pat_` tokens of 43 base62 characters. Passwords are kept as given (nothing here
 * leaves the test process); tokens do not expire.
 */
export class MemoryAccounts {
  private readonly users = new Map<UserId, MemoryAccount>();
  private readonly byEmail = new Map<string, UserId>();
  private readonly tokens = new Map<string, MemoryToken>();

  /** Creates an account and its first session token; null when the email is taken. */
  register(email: string, password: string, now: number): { account: MemoryAccount; session: IssuedToken } | null {
    const lower = email.toLowerCase();
    if (this.byEmail.has(lower)) return null;
    const account: MemoryAccount = { id: `u_${randomBase62(22)}` as UserId, email: lower, password, vault: null, log: new MemoryLog() };
    this.users.set(account.id, account);
    this.byEmail.set(lower, account.id);
    return { account, session: this.issue(account.id, TokenKind.session, "browser", now) };
  }

  /** A new session token for the right email and password; null on any mismatch. */
  login(email: string, password: string, now: number): { account: MemoryAccount; session: IssuedToken } | null {
    const id = this.byEmail.get(email.toLowerCase());
    const account = id === undefined ? undefined : this.users.get(id);
    if (!account || account.password !== password) return null;
    return { account, session: this.issue(account.id, TokenKind.session, "browser", now) };
  }

  issue(userId: UserId, kind: TokenKind, label: string, now: number): IssuedToken {
    const token = TokenPrefix[kind] + randomBase62(43);
    const record: MemoryToken = { id: `d_${randomBase62(22)}` as DeviceId, userId, kind, label, createdAt: now };
    this.tokens.set(token, record);
    return { record, token };
  }

  /** The token's record and account; null for a malformed, unknown or revoked token. */
  authenticate(token: string): { account: MemoryAccount; token: MemoryToken } | null {
    if (!TOKEN_SHAPE.test(token)) return null;
    const record = this.tokens.get(token);
    const account = record ? this.users.get(record.userId) : undefined;
    return record && account ? { account, token: record } : null;
  }

  account(id: UserId): MemoryAccount | undefined {
    return this.users.get(id);
  }

  /** This user's tokens of one kind, oldest first. */
  list(userId: UserId, kind: TokenKind): MemoryToken[] {
    return [...this.tokens.values()].filter((t) => t.userId === userId && t.kind === kind);
  }

  /** Deletes this user's token by its id; false when the user has no such token. */
  revoke(userId: UserId, id: DeviceId): boolean {
    for (const [secret, t] of this.tokens) {
      if (t.id === id && t.userId === userId) return this.tokens.delete(secret);
    }
    return false;
  }

  /** Sets the vault once: unset or byte-equal is fine, another one answers the stored vault. */
  setVault(userId: UserId, vault: Uint8Array): { ok: true } | { ok: false; stored: Uint8Array } {
    const account = this.users.get(userId);
    if (!account) throw new Error("No such user.");
    if (account.vault === null) {
      account.vault = new Uint8Array(vault);
      return { ok: true };
    }
    return sameBytes(account.vault, vault) ? { ok: true } : { ok: false, stored: account.vault };
  }
}

/** The peer kind of sockets opened with a token of this kind ([H2]). */
export const peerKindOf = (kind: TokenKind): PeerKind => (kind === TokenKind.pairing ? PeerKind.plugin : PeerKind.browser);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
