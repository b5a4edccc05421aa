/** How `botschat-agent` ends, for scripts and service managers. */
export const ExitCode = {
  /** Stopped by a signal (Ctrl-C, SIGTERM) after a clean shutdown. */
  ok: 0,
  /** Anything unexpected. */
  internal: 1,
  /** The passphrase does not open the workspace's vault. */
  wrongPassphrase: 2,
  /** The relay refused the pairing token (revoked, unknown) or another connection took it over. */
  tokenRefused: 3,
  /** The workspace has no vault yet (set the passphrase in the web app first), or it is unreadable. */
  noVault: 4,
  /** The relay could not be reached before the first connection (see `--connect-retries`). */
  unreachable: 5,
  /** Bad flags or missing settings. */
  usage: 64,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
