/**
 * This device's small private records, in their own IndexedDB (never in localStorage): its
 * device id per account and, when the person asked for it, the remembered passphrase — encrypted
 * with a non-extractable AES-GCM key that lives in the same database and cannot be read out by
 * script (WebCrypto keys are stored as opaque structured clones).
 */
const DB = "botschat-device";
const STORE = "records";

interface SealedSecret {
  key: CryptoKey;
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("cannot open the device store"));
  });
}

async function withStore<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error("device store transaction failed"));
      tx.onabort = () => reject(tx.error ?? new Error("device store transaction aborted"));
    });
  } finally {
    db.close();
  }
}

/** This device's id for an account, made once. */
export async function deviceIdFor(userId: string): Promise<string> {
  const key = `device:${userId}`;
  const known = await withStore<unknown>("readonly", (s) => s.get(key));
  if (typeof known === "string") return known;
  const id = `d_${[...crypto.getRandomValues(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  await withStore("readwrite", (s) => s.put(id, key));
  return id;
}

/** Keeps the passphrase on this device, sealed with a fresh non-extractable key. */
export async function rememberPassphrase(userId: string, passphrase: string): Promise<void> {
  const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(passphrase));
  const sealed: SealedSecret = { key, iv, data };
  await withStore("readwrite", (s) => s.put(sealed, `secret:${userId}`));
}

/** The remembered passphrase, or undefined. */
export async function rememberedPassphrase(userId: string): Promise<string | undefined> {
  const sealed = await withStore<SealedSecret | undefined>("readonly", (s) => s.get(`secret:${userId}`));
  if (sealed === undefined) return undefined;
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, sealed.key, sealed.data);
    return new TextDecoder().decode(plain);
  } catch {
    return undefined;
  }
}

/** Forgets the remembered passphrase. */
export async function forgetPassphrase(userId: string): Promise<void> {
  await withStore("readwrite", (s) => s.delete(`secret:${userId}`));
}

/** Forgets everything this device keeps for an account. */
export async function forgetDevice(userId: string): Promise<void> {
  await forgetPassphrase(userId);
  await withStore("readwrite", (s) => s.delete(`device:${userId}`));
}

/** The IndexedDB name of an account's local copy. */
export function workspaceDbName(userId: string): string {
  return `botschat-workspace-${userId}`;
}
