import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPairingToken, json, randomBody, register, type RelayProcess, startRelay, type TestUser } from "@botschat/relay-testkit";
import { expectApiError } from "./support.js";

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelay({ args: ["--quota", "5000", "--blob-limit", "4000"] });
});
afterAll(async () => {
  await relay.stop();
});

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

const put = (token: string, bytes: Uint8Array) => json(relay.url, `/api/blobs/${sha256(bytes)}`, { method: "PUT", token, rawBody: bytes });
const get = (token: string, hash: string) => json(relay.url, `/api/blobs/${hash}`, { token });
const del = (token: string | undefined, hash: string) => json(relay.url, `/api/blobs/${hash}`, { method: "DELETE", ...(token === undefined ? {} : { token }) });
const usedFile = (u: TestUser, hash: string) => existsSync(join(relay.dataDir, "blobs", u.userId, hash));

describe("N23 deleting blobs", () => {
  it("[N23] a delete frees the blob's quota: an upload refused for the quota succeeds after it", async () => {
    const u = await register(relay.url);
    const first = randomBody(3000);
    const second = randomBody(3000);
    expect((await put(u.token, first)).status).toBe(201);
    expectApiError(await put(u.token, second), 413, "quota_exceeded");

    const res = await del(u.token, sha256(first));
    expect(res.status).toBe(204);
    expect(res.text).toBe("");

    expect((await put(u.token, second)).status).toBe(201);
    expect((await get(u.token, sha256(second))).status).toBe(200);
  });

  it("[N23] a deleted blob answers 404 to GET, its file is gone, and deleting it again is 404", async () => {
    const u = await register(relay.url);
    const bytes = randomBody(500);
    const hash = sha256(bytes);
    expect((await put(u.token, bytes)).status).toBe(201);
    expect(usedFile(u, hash)).toBe(true);

    expect((await del(u.token, hash)).status).toBe(204);
    expectApiError(await get(u.token, hash), 404, "not_found");
    expect(usedFile(u, hash)).toBe(false);
    expectApiError(await del(u.token, hash), 404, "not_found");
    // The same bytes may come back: a new upload, stored and counted again.
    expect((await put(u.token, bytes)).status).toBe(201);
    expect((await get(u.token, hash)).status).toBe(200);
  });

  it("[N23] [X6] another user's hash and an unknown hash answer 404 not_found, and the owner's blob stays", async () => {
    const ann = await register(relay.url);
    const bob = await register(relay.url);
    const bytes = randomBody(700);
    const hash = sha256(bytes);
    expect((await put(ann.token, bytes)).status).toBe(201);

    expectApiError(await del(bob.token, hash), 404, "not_found");
    expectApiError(await del(ann.token, sha256(randomBody(10))), 404, "not_found");
    expectApiError(await del(ann.token, "not-a-hash"), 404, "not_found");
    expectApiError(await del(undefined, hash), 401, "unauthorized");
    expect((await get(ann.token, hash)).status).toBe(200);
    expect(usedFile(ann, hash)).toBe(true);
  });

  it("[N23] [X6] one user deleting a hash leaves another user's blob of the same bytes", async () => {
    const ann = await register(relay.url);
    const bob = await register(relay.url);
    const bytes = randomBody(300);
    const hash = sha256(bytes);
    expect((await put(ann.token, bytes)).status).toBe(201);
    expect((await put(bob.token, bytes)).status).toBe(201);
    expect((await del(bob.token, hash)).status).toBe(204);
    expect((await get(ann.token, hash)).status).toBe(200);
    expect((await get(bob.token, hash)).status).toBe(404);
  });

  it("[N23] a pairing token may delete the user's blob", async () => {
    const u = await register(relay.url);
    const agent = await createPairingToken(relay.url, u.token);
    const bytes = randomBody(400);
    expect((await put(u.token, bytes)).status).toBe(201);
    expect((await del(agent.token, sha256(bytes))).status).toBe(204);
    expect((await get(u.token, sha256(bytes))).status).toBe(404);
  });

  it("[N23] an upload and a delete of the same blob at once leave it either whole or gone, never a record without its file", async () => {
    const u = await register(relay.url);
    const bytes = randomBody(2000);
    const hash = sha256(bytes);
    for (let round = 0; round < 10; round++) {
      expect((await put(u.token, bytes)).status).toBe(201);
      const [up, down] = await Promise.all([put(u.token, bytes), del(u.token, hash)]);
      expect([200, 201]).toContain(up.status);
      expect(down.status).toBe(204);
      const after = await get(u.token, hash);
      expect([200, 404]).toContain(after.status);
      expect(usedFile(u, hash)).toBe(after.status === 200);
      await del(u.token, hash);
    }
    // Whatever the races did, nothing of it is left on the quota: a blob of the whole quota less fits.
    const big = randomBody(4000);
    expect((await put(u.token, big)).status).toBe(201);
  });
});
