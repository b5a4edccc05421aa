/**
 * A peer in its own process, for crash tests: `node --import tsx peerProcess.ts <relayUrl> <token> <passphrase> <dir> <mode> [docId]`.
 *
 * - `write`: creates (or opens) a document and keeps adding items to it, one change at a time;
 *   prints `doc <id>` once, `made <n>` after each change and `acked <n>` whenever everything up
 *   to item n is acknowledged by the relay. It runs until it is killed.
 * - `saved`: as `write`, but each change waits for `engine.saved()` and then prints `saved <n>`
 *   (what an operation a person sees waits for); the next change follows at once.
 * - `make <n>`: creates n documents, waits until the relay has them, prints `docs <id,id,…>`, exits.
 * - `catchup`: starts on the directory and prints `catching-up` when it begins to catch up (it
 *   runs until killed): the documents it has are not loaded, so their entries go straight to storage.
 * - `loadall <id,id,…>`: starts, loads every document at once (as an app opens its last screen,
 *   before it caught up), catches up, waits until idle, prints `idle`, exits.
 * - `drain`: opens the same directory, delivers whatever the last run left, prints
 *   `items <comma-separated keys>` and `idle`, then exits.
 */
import WebSocket from "ws";
import { ready } from "@botschat/crypto";
import type { DocumentId } from "@automerge/automerge-repo";
import { FilePeerStorage } from "../src/storage/FilePeerStorage.node.js";
import { SyncEngine } from "../src/sync/SyncEngine.js";
import type { SocketLike } from "../src/sync/SocketLike.js";
import { ConnectionState } from "../src/sync/ConnectionState.js";
import { FAST_VAULT } from "./peers.js";

interface Items {
  items: Record<string, number>;
}

const [relayUrl, token, passphrase, dir, mode, docArg] = process.argv.slice(2) as [string, string, string, string, string, string?];

let catching = false;

async function main(): Promise<void> {
  await ready();
  const storage = await FilePeerStorage.open(dir);
  const engine = new SyncEngine({
    relayUrl,
    token,
    storage,
    socket: (url) => new WebSocket(url) as unknown as SocketLike,
    vaultOptions: FAST_VAULT,
    debounceMs: 5,
  });
  await engine.start();
  if (mode === "loadall") for (const id of (docArg ?? "").split(",")) await engine.find<Items>(id as DocumentId);
  if (mode === "catchup") {
    engine.on("status", (s) => {
      if (s.state === ConnectionState.catchingUp && !catching) {
        catching = true;
        console.log("catching-up");
      }
    });
  }
  await engine.unlock(passphrase);
  await new Promise<void>((resolve) => {
    const check = () => {
      if (engine.getStatus().state !== ConnectionState.live) return;
      engine.off("status", check);
      resolve();
    };
    engine.on("status", check);
    check();
  });
  if (mode === "make") {
    const ids = Array.from({ length: Number(docArg) }, () => engine.create<Items>({ items: {} }).documentId);
    await engine.whenIdle();
    console.log(`docs ${ids.join(",")}`);
    await engine.stop();
    await storage.close();
    return;
  }
  if (mode === "catchup") return;
  if (mode === "loadall") {
    await engine.whenSynced();
    await engine.whenIdle();
    console.log("idle");
    await engine.stop();
    await storage.close();
    return;
  }
  if (mode === "drain") {
    const handle = await engine.find<Items>(docArg as DocumentId);
    await engine.whenIdle();
    console.log(`items ${Object.keys(handle.doc().items).sort().join(",")}`);
    console.log("idle");
    await engine.stop();
    await storage.close();
    return;
  }
  const handle = docArg ? await engine.find<Items>(docArg as DocumentId) : engine.create<Items>({ items: {} });
  console.log(`doc ${handle.documentId}`);
  const first = Object.keys(handle.doc().items).length;
  for (let n = first; ; n++) {
    handle.change((d) => {
      d.items[`i${n}`] = n;
    });
    console.log(`made ${n}`);
    if (mode === "saved") {
      await engine.saved();
      console.log(`saved ${n}`);
      continue;
    }
    if (n % 10 === 9) {
      await engine.whenIdle();
      console.log(`acked ${n}`);
    } else await new Promise((r) => setTimeout(r, 2));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
