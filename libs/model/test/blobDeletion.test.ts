import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { blobHashOf, encryptBlob, generateBlobKey, toBase64url } from "@botschat/crypto";
import { createPairingToken, json, register, tempDir } from "@botschat/relay-testkit";
import type { AgentId, BlobHash, DeviceId, GatewayId } from "../src/docs/ids.js";
import { queuedBlobDeletions } from "../src/ops/blobDeletionOps.js";
import { createChannel } from "../src/ops/channelOps.js";
import { sendMessage } from "../src/ops/messageOps.js";
import type { MediaInput } from "../src/ops/newMessage.js";
import { createSession, deleteSession } from "../src/ops/sessionOps.js";
import { FilePeerStorage } from "../src/storage/FilePeerStorage.node.js";
import { Backoff } from "../src/sync/Backoff.js";
import { BlobDeleter } from "../src/sync/BlobDeleter.js";
import type { SyncEngine } from "../src/sync/SyncEngine.js";
import { isLive, until, type TestPeer } from "./peers.js";
import { relayFixture, type RelayFixture } from "./relayFixture.js";

/** Two blobs of this size do not fit in the quota together (the documents take a few KiB more). */
const BLOB_BYTES = 120_000;
const fx = relayFixture({ args: ["--quota", String(200_000)] });
const me = { device: "d_blobs1" as DeviceId };
/** Reconnects only when a test says so. */
const manualReconnect = () => new Backoff(60_000, 60_000);

/** Encrypts and uploads a file as the web app does; answers the media of a message and the upload's status. */
async function upload(token: string, size = BLOB_BYTES): Promise<{ media: MediaInput; status: number }> {
  const key = generateBlobKey();
  const ciphertext = encryptBlob(key, new Uint8Array(randomBytes(size)));
  const hash = blobHashOf(ciphertext) as BlobHash;
  const res = await json(fx.relay.url, `/api/blobs/${hash}`, { method: "PUT", token, rawBody: ciphertext });
  return { media: { hash, key: toBase64url(key), mime: "application/octet-stream", name: "file.bin", size }, status: res.status };
}

const atRelay = async (token: string, hash: BlobHash): Promise<number> => (await json(fx.relay.url, `/api/blobs/${hash}`, { token })).status;

async function untilAsync(cond: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A live device of a new person, with a channel and a session. */
async function device(opts: Parameters<RelayFixture["peer"]>[1] = {}, passphrase = "blob pass") {
  const user = await register(fx.relay.url);
  const peer = await fx.peer(user.token, opts);
  await peer.engine.unlock(passphrase);
  await until(() => isLive(peer), "device live");
  const { doc: channelDoc } = await createChannel(peer.engine, me, { name: "Files", gateway: "gw" as GatewayId, agentId: "main" as AgentId });
  const { session } = await createSession(peer.engine, me, { channelDoc, title: "Photos" });
  return { user, peer, channelDoc, session };
}

const deleterFor = (engine: SyncEngine, token: string) => new BlobDeleter(engine, { relayUrl: fx.relay.url, token });

describe("blobs are deleted at the relay when no message refers to them any more", () => {
  it("deleting a session deletes its message's blob at the relay and frees its quota", async () => {
    const { user, peer, channelDoc, session } = await device();
    const blobs = deleterFor(peer.engine, user.token);
    const first = await upload(user.token);
    expect(first.status).toBe(201);
    await sendMessage(peer.engine, me, { channelDoc, session, text: "here", media: [first.media] });
    await peer.engine.whenIdle();
    const second = await upload(user.token);
    expect(second.status).toBe(413);

    await deleteSession(peer.engine, me, { channelDoc, session });
    blobs.kick();
    await blobs.whenIdle();

    expect(await atRelay(user.token, first.media.hash)).toBe(404);
    expect(await queuedBlobDeletions(peer.engine)).toEqual([]);
    expect((await upload(user.token)).status).toBe(201);
    await blobs.stop();
  });

  it("a blob a message in another session still refers to is kept at the relay", async () => {
    const { user, peer, channelDoc, session } = await device();
    const blobs = deleterFor(peer.engine, user.token);
    const { media } = await upload(user.token, 1_000);
    const other = await createSession(peer.engine, me, { channelDoc, title: "Forwarded" });
    await sendMessage(peer.engine, me, { channelDoc, session, text: "original", media: [media] });
    await sendMessage(peer.engine, me, { channelDoc, session: other.session, text: "forwarded", media: [media] });

    await deleteSession(peer.engine, me, { channelDoc, session });
    blobs.kick();
    await blobs.whenIdle();
    expect(await atRelay(user.token, media.hash)).toBe(200);
    expect(await queuedBlobDeletions(peer.engine)).toEqual([]);

    await deleteSession(peer.engine, me, { channelDoc, session: other.session });
    blobs.kick();
    await blobs.whenIdle();
    expect(await atRelay(user.token, media.hash)).toBe(404);
    await blobs.stop();
  });

  it("a session deleted offline has its blob deleted once the device is back online", async () => {
    const { user, peer, channelDoc, session } = await device({ backoff: manualReconnect() });
    const blobs = deleterFor(peer.engine, user.token);
    const { media } = await upload(user.token, 1_000);
    await sendMessage(peer.engine, me, { channelDoc, session, text: "offline soon", media: [media] });
    await peer.engine.whenIdle();

    peer.engine.disconnect();
    await deleteSession(peer.engine, me, { channelDoc, session });
    blobs.kick();
    await blobs.whenIdle();
    expect(await queuedBlobDeletions(peer.engine)).toEqual([media.hash]);
    expect(await atRelay(user.token, media.hash)).toBe(200);

    peer.engine.reconnectNow();
    await untilAsync(async () => (await atRelay(user.token, media.hash)) === 404, "the blob deleted after the reconnect");
    await blobs.whenIdle();
    expect(await queuedBlobDeletions(peer.engine)).toEqual([]);
    await blobs.stop();
  });

  it("a session deleted offline has its blob deleted after the device restarts on its files", async () => {
    const user = await register(fx.relay.url);
    const dir = tempDir("botschat-model-blobs-");
    let peer: TestPeer = await fx.peer(user.token, { storage: await FilePeerStorage.open(dir), backoff: manualReconnect() });
    await peer.engine.unlock("restart pass");
    await until(() => isLive(peer), "device live");
    const { doc: channelDoc } = await createChannel(peer.engine, me, { name: "Files", gateway: "gw" as GatewayId, agentId: "main" as AgentId });
    const { session } = await createSession(peer.engine, me, { channelDoc, title: "Photos" });
    const { media } = await upload(user.token, 1_000);
    await sendMessage(peer.engine, me, { channelDoc, session, text: "before the restart", media: [media] });
    await peer.engine.whenIdle();

    peer.engine.disconnect();
    await deleteSession(peer.engine, me, { channelDoc, session });
    await peer.engine.stop();
    await peer.storage.close();
    expect(await atRelay(user.token, media.hash)).toBe(200);

    // A new process: the same directory, nothing in memory.
    peer = await fx.peer(user.token, { storage: await FilePeerStorage.open(dir) });
    const blobs = deleterFor(peer.engine, user.token);
    await peer.engine.unlock("restart pass");
    await untilAsync(async () => (await atRelay(user.token, media.hash)) === 404, "the blob deleted after the restart");
    await blobs.whenIdle();
    expect(await queuedBlobDeletions(peer.engine)).toEqual([]);
    await blobs.stop();
    await peer.engine.stop();
    await peer.storage.close();
  });

  it("another device of the person (an agent with a pairing token) carries out a deletion queued where nothing deletes", async () => {
    const { user, peer, channelDoc, session } = await device({}, "agent pass");
    const { media } = await upload(user.token, 1_000);
    await sendMessage(peer.engine, me, { channelDoc, session, text: "shared", media: [media] });
    await deleteSession(peer.engine, me, { channelDoc, session });
    await peer.engine.whenIdle();
    expect(await atRelay(user.token, media.hash)).toBe(200);

    const pairing = await createPairingToken(fx.relay.url, user.token);
    const agent = await fx.peer(pairing.token);
    const blobs = deleterFor(agent.engine, pairing.token);
    await agent.engine.unlock("agent pass");
    await untilAsync(async () => (await atRelay(user.token, media.hash)) === 404, "the agent deleted the blob");
    await blobs.whenIdle();
    expect(await queuedBlobDeletions(agent.engine)).toEqual([]);
    await agent.engine.whenIdle();
    await untilAsync(async () => (await queuedBlobDeletions(peer.engine)).length === 0, "the cleared queue reached the first device");
    await blobs.stop();
  });
});
