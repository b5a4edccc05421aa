import { createVault, fromBase64url, openVault, toBase64url, type CreateVaultOptions, type VaultKeys } from "@botschat/crypto";
import { LockReason } from "./ConnectionState.js";
import { LogCategory, type SyncLogEntry } from "./SyncLog.js";

/** What a {@link VaultKeyring} tells its owner. */
export interface VaultKeyringHooks {
  /** The keyring is locked for this reason (nothing may be written). */
  locked(lock: LockReason): void;
  /** Keeps the vault beside the local copy (so later unlocks work offline). */
  storeVault(vault: Uint8Array): Promise<void>;
  log(cat: SyncLogEntry["cat"], msg: string): void;
}

/** Where {@link VaultKeyring.createOrAdopt} puts a new vault. */
export interface VaultKeyringOptions {
  relayUrl: string;
  token: string;
  /** Argon2id cost of a vault created here. */
  vaultOptions?: CreateVaultOptions;
  /** The fetch used for `PUT /api/me/vault`. Default: the global one. */
  fetch?: typeof fetch;
}

/**
 * The workspace keys and how to get them: the passphrase, the vault (stored locally or from the
 * relay's `welcome`), opening it ([K2]: a wrong passphrase locks and writes nothing), and creating
 * or adopting the account's vault ([K1]).
 */
export class VaultKeyring {
  keys: VaultKeys | undefined;
  passphrase: string | undefined;
  vault: Uint8Array | undefined;
  private stored = false;

  constructor(
    private readonly opts: VaultKeyringOptions,
    private readonly hooks: VaultKeyringHooks,
  ) {}

  /** The vault found in local storage at start. */
  restore(vault: Uint8Array | undefined): void {
    this.vault = vault;
    this.stored = vault !== undefined;
  }

  /** Forgets the keys and the passphrase (the local vault stays). */
  forget(): void {
    this.keys = undefined;
    this.passphrase = undefined;
  }

  /** Forgets the keys and the vault: the account's vault changed under us. */
  forgetVault(): void {
    this.keys = undefined;
    this.vault = undefined;
    // The vault that replaces it is stored once it is opened.
    this.stored = false;
  }

  /** Opens `vault` with the passphrase; false (and `locked`) without one or with a wrong one. */
  open(vault: Uint8Array): boolean {
    this.vault = vault;
    if (!this.passphrase) {
      this.hooks.locked(LockReason.needsPassphrase);
      return false;
    }
    const r = openVault(vault, this.passphrase);
    if (!r.ok) {
      const lock = r.reason === "wrong-passphrase" ? LockReason.wrongPassphrase : LockReason.badVault;
      this.hooks.log(LogCategory.warn, lock === LockReason.wrongPassphrase ? "wrong passphrase" : `vault refused: ${r.reason}`);
      this.passphrase = undefined;
      this.hooks.locked(lock);
      return false;
    }
    this.keys = r.keys;
    if (!this.stored) {
      this.stored = true;
      void this.hooks.storeVault(vault);
    }
    return true;
  }

  /** Creates the vault on the relay, or adopts the one another device set first ([K1]). */
  async createOrAdopt(): Promise<boolean> {
    if (!this.passphrase) return false;
    const created = createVault(this.passphrase, this.opts.vaultOptions);
    const f = this.opts.fetch ?? fetch;
    const res = await f(`${this.opts.relayUrl}/api/me/vault`, {
      method: "PUT",
      headers: { authorization: `Bearer ${this.opts.token}`, "content-type": "application/json" },
      body: JSON.stringify({ vault: toBase64url(created.vault) }),
    });
    this.hooks.log(LogCategory.api, `PUT /api/me/vault → ${res.status}`);
    if (res.status === 204) {
      this.keys = created.keys;
      this.vault = created.vault;
      this.stored = true;
      await this.hooks.storeVault(created.vault);
      this.hooks.log(LogCategory.info, "vault created");
      return true;
    }
    if (res.status === 409) {
      const body = (await res.json()) as { vault?: string };
      const stored = typeof body.vault === "string" ? fromBase64url(body.vault) : undefined;
      return stored ? this.open(stored) : false;
    }
    if (res.status === 403) this.hooks.locked(LockReason.noVault);
    return false;
  }
}
