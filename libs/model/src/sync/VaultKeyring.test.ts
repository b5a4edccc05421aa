import { createVault, decodeVault, fromBase64url, openVault, ready, toBase64url, type CreatedVault } from "@botschat/crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { LockReason } from "./ConnectionState.js";
import { VaultKeyring, type VaultKeyringOptions } from "./VaultKeyring.js";

const PASSPHRASE = "correct horse battery staple";
const OTHER_PASSPHRASE = "a different passphrase";
const RELAY = "http://relay.test:8080";
const TOKEN = "session-token";
/** Libsodium's minimum Argon2id cost: the tests are about the keyring, not the KDF. */
const TINY = { ops: 1, mem: 8 * 1024 };

/** A vault for {@link PASSPHRASE}, as if this or another device had created it. */
let mine: CreatedVault;
/** Another vault for the same passphrase (another salt, other keys): a second device's. */
let theirs: CreatedVault;
/** A vault for {@link OTHER_PASSPHRASE}. */
let foreign: CreatedVault;

beforeAll(async () => {
  await ready();
  mine = createVault(PASSPHRASE, TINY);
  theirs = createVault(PASSPHRASE, TINY);
  foreign = createVault(OTHER_PASSPHRASE, TINY);
});

type FetchCall = { url: string; init: RequestInit };

/** A keyring whose hooks record what they are told, over a fake fetch that answers `respond`. */
function setup(respond: (call: FetchCall) => Response | Promise<Response> = () => new Response(null, { status: 204 })) {
  const locked: LockReason[] = [];
  const stored: Uint8Array[] = [];
  const logs: [string, string][] = [];
  const calls: FetchCall[] = [];
  const fakeFetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const call = { url: String(input), init: init ?? {} };
    calls.push(call);
    return respond(call);
  });
  let storeVault = async (vault: Uint8Array) => {
    stored.push(vault);
  };
  const opts: VaultKeyringOptions = { relayUrl: RELAY, token: TOKEN, vaultOptions: TINY, fetch: fakeFetch as unknown as typeof fetch };
  const keyring = new VaultKeyring(opts, {
    locked: (lock) => locked.push(lock),
    storeVault: (vault) => storeVault(vault),
    log: (cat, msg) => logs.push([cat, msg]),
  });
  return {
    keyring,
    locked,
    stored,
    logs,
    calls,
    fakeFetch,
    /** Replaces what `storeVault` does. */
    onStore(f: (vault: Uint8Array) => Promise<void>) {
      storeVault = f;
    },
  };
}

/**
 * The bytes alone, to compare vaults: decoding a vault (cbor-x) leaves a cached `dataView` property
 * on the array it read, which `toEqual` would otherwise see.
 */
const plain = (b: Uint8Array | undefined) => (b ? Uint8Array.from(b) : b);
const plainAll = (bs: Uint8Array[]) => bs.map((b) => Uint8Array.from(b));

/** The vault a `PUT /api/me/vault` carried. */
function putVault(call: FetchCall): Uint8Array {
  const body = JSON.parse(String(call.init.body)) as { vault: string };
  const vault = fromBase64url(body.vault);
  if (!vault) throw new Error("the PUT body holds no base64url vault");
  return vault;
}

/** The one request the keyring made. */
function onlyCall(calls: FetchCall[]): FetchCall {
  expect(calls).toHaveLength(1);
  return calls[0] as FetchCall;
}

describe("VaultKeyring: restoring and opening", () => {
  it("starts with no keys, passphrase or vault", () => {
    const { keyring } = setup();
    expect(keyring.keys).toBeUndefined();
    expect(keyring.passphrase).toBeUndefined();
    expect(keyring.vault).toBeUndefined();
  });

  it("restores the vault found in local storage, without opening or storing it", () => {
    const { keyring, locked, stored } = setup();
    keyring.restore(mine.vault);
    expect(plain(keyring.vault)).toEqual(plain(mine.vault));
    expect(keyring.keys).toBeUndefined();
    expect(locked).toEqual([]);
    expect(stored).toEqual([]);
  });

  it("opens a restored vault with the right passphrase and does not store it again", () => {
    const { keyring, locked, stored } = setup();
    keyring.restore(mine.vault);
    keyring.passphrase = PASSPHRASE;
    expect(keyring.open(mine.vault)).toBe(true);
    expect(keyring.keys).toEqual(mine.keys);
    expect(keyring.passphrase).toBe(PASSPHRASE);
    expect(locked).toEqual([]);
    expect(stored).toEqual([]);
  });

  it("opens a vault with the right passphrase, giving its keys, and stores a vault not stored yet once", () => {
    const { keyring, locked, stored } = setup();
    keyring.passphrase = PASSPHRASE;
    expect(keyring.open(mine.vault)).toBe(true);
    expect(keyring.keys).toEqual(mine.keys);
    expect(plain(keyring.vault)).toEqual(plain(mine.vault));
    expect(plainAll(stored)).toEqual([plain(mine.vault)]);
    expect(locked).toEqual([]);

    keyring.forget();
    keyring.passphrase = PASSPHRASE;
    expect(keyring.open(mine.vault)).toBe(true);
    expect(stored).toHaveLength(1);
  });

  it("restore(undefined) means nothing is stored: the first vault opened is stored", () => {
    const { keyring, stored } = setup();
    keyring.restore(undefined);
    expect(keyring.vault).toBeUndefined();
    keyring.passphrase = PASSPHRASE;
    expect(keyring.open(theirs.vault)).toBe(true);
    expect(keyring.keys).toEqual(theirs.keys);
    expect(plainAll(stored)).toEqual([plain(theirs.vault)]);
  });

  it("without a passphrase, locks with needs-passphrase but keeps the vault to open later", () => {
    const { keyring, locked, stored } = setup();
    expect(keyring.open(mine.vault)).toBe(false);
    expect(locked).toEqual([LockReason.needsPassphrase]);
    expect(keyring.keys).toBeUndefined();
    expect(plain(keyring.vault)).toEqual(plain(mine.vault));
    expect(stored).toEqual([]);
  });

  it("a wrong passphrase locks with wrong-passphrase, forgets the passphrase and writes nothing ([K2])", () => {
    const { keyring, locked, stored, logs } = setup();
    keyring.passphrase = OTHER_PASSPHRASE;
    expect(keyring.open(mine.vault)).toBe(false);
    expect(locked).toEqual([LockReason.wrongPassphrase]);
    expect(keyring.keys).toBeUndefined();
    expect(keyring.passphrase).toBeUndefined();
    expect(stored).toEqual([]);
    expect(logs.map(([, msg]) => msg)).toContain("wrong passphrase");
    // The log never holds the passphrase.
    expect(JSON.stringify(logs)).not.toContain(OTHER_PASSPHRASE);
  });

  it("a wrong passphrase on a restored vault leaves no keys, and the right one opens it afterwards", () => {
    const { keyring, locked, stored } = setup();
    keyring.restore(mine.vault);
    keyring.passphrase = OTHER_PASSPHRASE;
    expect(keyring.open(mine.vault)).toBe(false);
    keyring.passphrase = PASSPHRASE;
    expect(keyring.open(mine.vault)).toBe(true);
    expect(keyring.keys).toEqual(mine.keys);
    expect(locked).toEqual([LockReason.wrongPassphrase]);
    expect(stored).toEqual([]);
  });

  it("a malformed vault locks with bad-vault and writes nothing", () => {
    const { keyring, locked, stored } = setup();
    keyring.passphrase = PASSPHRASE;
    expect(keyring.open(Uint8Array.from([1, 2, 3]))).toBe(false);
    expect(locked).toEqual([LockReason.badVault]);
    expect(keyring.keys).toBeUndefined();
    expect(stored).toEqual([]);
  });
});

describe("VaultKeyring: forgetting", () => {
  it("forget() drops the keys and the passphrase but keeps the vault", () => {
    const { keyring } = setup();
    keyring.passphrase = PASSPHRASE;
    keyring.open(mine.vault);
    keyring.forget();
    expect(keyring.keys).toBeUndefined();
    expect(keyring.passphrase).toBeUndefined();
    expect(plain(keyring.vault)).toEqual(plain(mine.vault));
  });

  it("forgetVault() drops the keys and the vault but keeps the passphrase", () => {
    const { keyring } = setup();
    keyring.passphrase = PASSPHRASE;
    keyring.open(mine.vault);
    keyring.forgetVault();
    expect(keyring.keys).toBeUndefined();
    expect(keyring.vault).toBeUndefined();
    expect(keyring.passphrase).toBe(PASSPHRASE);
    // The passphrase kept opens the account's new vault.
    expect(keyring.open(theirs.vault)).toBe(true);
    expect(keyring.keys).toEqual(theirs.keys);
    expect(plain(keyring.vault)).toEqual(plain(theirs.vault));
  });

  it("stores the vault that replaces a forgotten one, so the next start opens the account's new vault", () => {
    const { keyring, stored } = setup();
    keyring.restore(mine.vault);
    keyring.passphrase = PASSPHRASE;
    keyring.open(mine.vault);
    expect(stored).toEqual([]);
    keyring.forgetVault();
    keyring.open(theirs.vault);
    expect(stored.map(plain)).toEqual([plain(theirs.vault)]);
  });
});

describe("VaultKeyring: createOrAdopt ([K1])", () => {
  it("does nothing without a passphrase", async () => {
    const { keyring, fakeFetch, stored, locked } = setup();
    expect(await keyring.createOrAdopt()).toBe(false);
    expect(fakeFetch).not.toHaveBeenCalled();
    expect(stored).toEqual([]);
    expect(locked).toEqual([]);
  });

  it("creates a vault for the passphrase, PUTs it to /api/me/vault with the token, and stores it on 204", async () => {
    const { keyring, calls, stored, locked } = setup(() => new Response(null, { status: 204 }));
    keyring.passphrase = PASSPHRASE;
    expect(await keyring.createOrAdopt()).toBe(true);

    const call = onlyCall(calls);
    expect(call.url).toBe(`${RELAY}/api/me/vault`);
    expect(call.init.method).toBe("PUT");
    expect(call.init.headers).toEqual({ authorization: `Bearer ${TOKEN}`, "content-type": "application/json" });
    const sent = putVault(call);
    // The vault sent is a v1 vault at the configured cost, for this passphrase.
    const decoded = decodeVault(sent);
    expect(decoded.ok && { ops: decoded.vault.ops, mem: decoded.vault.mem }).toEqual(TINY);
    const opened = openVault(sent, PASSPHRASE);
    expect(opened.ok).toBe(true);

    expect(plain(keyring.vault)).toEqual(plain(sent));
    expect(keyring.keys).toEqual(opened.ok ? opened.keys : undefined);
    expect(plainAll(stored)).toEqual([plain(sent)]);
    expect(locked).toEqual([]);
  });

  it("resolves only once the new vault is stored", async () => {
    const { keyring, onStore } = setup(() => new Response(null, { status: 204 }));
    let finishStore: () => void = () => undefined;
    onStore(() => new Promise<void>((resolve) => (finishStore = resolve)));
    keyring.passphrase = PASSPHRASE;
    let done = false;
    const result = keyring.createOrAdopt().then((ok) => {
      done = true;
      return ok;
    });
    await vi.waitFor(() => expect(keyring.keys).toBeDefined());
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    finishStore();
    expect(await result).toBe(true);
  });

  it("does not store a vault it created again when it is opened later", async () => {
    const { keyring, calls, stored } = setup(() => new Response(null, { status: 204 }));
    keyring.passphrase = PASSPHRASE;
    await keyring.createOrAdopt();
    const sent = putVault(onlyCall(calls));
    keyring.forget();
    keyring.passphrase = PASSPHRASE;
    expect(keyring.open(sent)).toBe(true);
    expect(plainAll(stored)).toEqual([plain(sent)]);
  });

  it("on 409 adopts the vault in the relay's answer (no second request) and opens it with the passphrase", async () => {
    const { keyring, calls, stored, locked } = setup(() =>
      Response.json({ error: "conflict", message: "A different vault is already set.", vault: toBase64url(theirs.vault) }, { status: 409 }),
    );
    keyring.passphrase = PASSPHRASE;
    expect(await keyring.createOrAdopt()).toBe(true);
    expect(onlyCall(calls).init.method).toBe("PUT");
    // The relay's vault and its keys, not the one created here.
    expect(plain(keyring.vault)).toEqual(plain(theirs.vault));
    expect(keyring.keys).toEqual(theirs.keys);
    const created = openVault(putVault(onlyCall(calls)), PASSPHRASE);
    expect(created.ok && created.keys).not.toEqual(keyring.keys);
    expect(plainAll(stored)).toEqual([plain(theirs.vault)]);
    expect(locked).toEqual([]);
  });

  it("on 409 with a vault of another passphrase locks with wrong-passphrase and stores nothing", async () => {
    const { keyring, stored, locked } = setup(() =>
      Response.json({ error: "conflict", message: "A different vault is already set.", vault: toBase64url(foreign.vault) }, { status: 409 }),
    );
    keyring.passphrase = PASSPHRASE;
    expect(await keyring.createOrAdopt()).toBe(false);
    expect(locked).toEqual([LockReason.wrongPassphrase]);
    expect(keyring.keys).toBeUndefined();
    expect(keyring.passphrase).toBeUndefined();
    expect(stored).toEqual([]);
  });

  it("on 409 without a vault in the answer gives up without keys or storage", async () => {
    const { keyring, stored } = setup(() => Response.json({ error: "conflict", message: "?" }, { status: 409 }));
    keyring.passphrase = PASSPHRASE;
    expect(await keyring.createOrAdopt()).toBe(false);
    expect(keyring.keys).toBeUndefined();
    expect(stored).toEqual([]);
  });

  it("on 403 (a peer that may not set the vault) locks with no-vault", async () => {
    const { keyring, stored, locked } = setup(() => Response.json({ error: "forbidden", message: "session only" }, { status: 403 }));
    keyring.passphrase = PASSPHRASE;
    expect(await keyring.createOrAdopt()).toBe(false);
    expect(locked).toEqual([LockReason.noVault]);
    expect(keyring.keys).toBeUndefined();
    expect(keyring.vault).toBeUndefined();
    expect(stored).toEqual([]);
  });

  it("on another failure (500) gives up without keys, storage or lock", async () => {
    const { keyring, stored, locked } = setup(() => Response.json({ error: "internal", message: "oops" }, { status: 500 }));
    keyring.passphrase = PASSPHRASE;
    expect(await keyring.createOrAdopt()).toBe(false);
    expect(keyring.keys).toBeUndefined();
    expect(keyring.vault).toBeUndefined();
    expect(locked).toEqual([]);
    expect(stored).toEqual([]);
  });
});
