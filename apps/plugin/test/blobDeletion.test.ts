import { describe, expect, it } from "vitest";
import { blobHashOf, encryptBlob, generateBlobKey, toBase64url } from "@botschat/crypto";
import { deleteSession, queuedBlobDeletions, sendMessage, type BlobHash } from "@botschat/model";
import { json } from "@botschat/relay-testkit";
import { relayForFile } from "./relayForFile.js";
import { channelWithSession, startAgent, startDevice, until } from "./workspace.js";

const fx = relayForFile();

describe("the agent peer deletes unused blobs", () => {
  it("deletes at the relay a blob a person's device queued for deletion, and clears the queue", async () => {
    const device = await startDevice(fx.relay.url);
    fx.stops.push(() => device.stop());
    const { peer } = await startAgent(device);
    fx.stops.push(() => peer.stop());
    const { channel, session } = await channelWithSession(device);

    const key = generateBlobKey();
    const ciphertext = encryptBlob(key, new TextEncoder().encode("a photo, as far as anyone can tell"));
    const hash = blobHashOf(ciphertext) as BlobHash;
    expect((await json(fx.relay.url, `/api/blobs/${hash}`, { method: "PUT", token: device.session, rawBody: ciphertext })).status).toBe(201);
    const media = { hash, key: toBase64url(key), mime: "image/png", name: "photo.png", size: 34 };
    await sendMessage(device.engine, device.me, { channelDoc: channel.doc, session, text: "look", media: [media] });

    // The device queues the deletion but carries out none itself: the agent does.
    await deleteSession(device.engine, device.me, { channelDoc: channel.doc, session });
    expect(await queuedBlobDeletions(device.engine)).toEqual([hash]);
    await until(async () => (await json(fx.relay.url, `/api/blobs/${hash}`, { token: device.session })).status === 404, "the agent to delete the blob");
    await until(async () => (await queuedBlobDeletions(device.engine)).length === 0, "the cleared queue to reach the device");
  });
});
