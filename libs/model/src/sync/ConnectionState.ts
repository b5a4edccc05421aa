/**
 * The sync engine's connection lifecycle. `locked` means no keys (no passphrase yet, or a wrong
 * one): nothing is written. `error` is a state that retrying will not fix on its own (a revoked
 * token, a deleted account); everything else recovers by itself.
 */
export const ConnectionState = {
  connecting: "connecting",
  authenticating: "authenticating",
  catchingUp: "catching-up",
  live: "live",
  offline: "offline",
  locked: "locked",
  error: "error",
} as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

/** Why the engine is locked. */
export const LockReason = {
  /** No passphrase given yet. */
  needsPassphrase: "needs-passphrase",
  /** The passphrase does not open the vault ([K2]). */
  wrongPassphrase: "wrong-passphrase",
  /** The account has no vault yet and this peer cannot create one (a plugin). */
  noVault: "no-vault",
  /** The stored vault is malformed or of an unknown version. */
  badVault: "bad-vault",
} as const;
export type LockReason = (typeof LockReason)[keyof typeof LockReason];

/** What the UI shows beside the state. */
export interface SyncStatus {
  state: ConnectionState;
  /** Entries applied since `hello`, and the relay's head at `welcome`, while catching up. */
  progress: { applied: number; head: number; cursor: number };
  lock?: LockReason;
  /** A human sentence for `error` (and the last failure while `offline`). */
  error?: string;
  /** Entries waiting in the outbox. */
  pending: number;
  /** The relay no longer knows this device's token (signed out elsewhere, revoked): sign in again. */
  signedOut?: boolean;
  /**
   * Documents holding changes of this device that the relay refused and that cannot go in parts
   * (one change larger than the relay takes): they stay on this device. Absent when none.
   */
  unsent?: readonly string[];
}
