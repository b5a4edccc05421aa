import { mkdtemp, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "./openStore.js";

describe("openStore", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "botschat-data-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates a missing data directory with relay.db and blobs/ inside", async () => {
    const data = join(dir, "nested", "data");
    const { logStore, blobs } = await openStore(data);
    const user = await logStore.createUser("ann@example.test", "h", 1);
    expect(user).not.toBeNull();
    await logStore.close();
    expect((await readdir(data)).sort()).toEqual(expect.arrayContaining(["blobs", "relay.db"]));
    expect(blobs.dir).toBe(join(data, "blobs"));
  });

  it("opens the same data again, and clears blob temp files a crash left", async () => {
    const first = await openStore(dir);
    const user = (await first.logStore.createUser("ann@example.test", "h", 1))!;
    await first.logStore.close();
    await mkdir(join(dir, "blobs", user.id), { recursive: true });
    await writeFile(join(dir, "blobs", user.id, ".tmp-abc"), "partial");

    const second = await openStore(dir);
    expect((await second.logStore.getUser(user.id))?.email).toBe("ann@example.test");
    expect(await readdir(join(dir, "blobs", user.id))).toEqual([]);
    await second.logStore.close();
  });

  it("[N23] removes blob files a crash left without a record, and keeps the recorded ones", async () => {
    const first = await openStore(dir);
    const user = (await first.logStore.createUser("ann@example.test", "h", 1))!;
    const kept = "ab".repeat(32);
    const orphan = "cd".repeat(32);
    await first.logStore.addBlob(user.id, kept, 4, 1, 1 << 20);
    await first.logStore.close();
    await mkdir(join(dir, "blobs", user.id), { recursive: true });
    await writeFile(join(dir, "blobs", user.id, kept), "kept");
    // A deletion that stopped after its record went and before its file did.
    await writeFile(join(dir, "blobs", user.id, orphan), "gone");

    const second = await openStore(dir);
    expect(await readdir(join(dir, "blobs", user.id))).toEqual([kept]);
    expect((await second.logStore.getUser(user.id))?.usedBytes).toBe(4);
    await second.logStore.close();
  });
});
