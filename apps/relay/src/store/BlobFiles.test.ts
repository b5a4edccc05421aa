import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BlobHash, UserId } from "@botschat/protocol";
import { BlobFiles } from "./BlobFiles.js";

const ann = "u_AnnAnnAnnAnnAnnAnnAnn0" as UserId;
const bob = "u_BobBobBobBobBobBobBob0" as UserId;

function sha256(bytes: Uint8Array): BlobHash {
  return createHash("sha256").update(bytes).digest("hex") as BlobHash;
}

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part);
  return new Uint8Array(Buffer.concat(parts));
}

describe("BlobFiles", () => {
  let dir: string;
  let blobs: BlobFiles;
  const bytes = new Uint8Array(10_000).map((_, i) => i % 251);
  const hash = sha256(bytes);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "botschat-blobs-"));
    blobs = new BlobFiles(join(dir, "blobs"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const filesOf = (user: UserId) => readdir(join(dir, "blobs", user)).catch(() => [] as string[]);

  it("stores bytes that match their hash and streams them back with their size", async () => {
    const result = await blobs.write(ann, hash, chunks(bytes.subarray(0, 3_000), bytes.subarray(3_000)), 1 << 20);
    expect(result).toEqual({ ok: true, size: bytes.byteLength, existed: false });
    expect(await filesOf(ann)).toEqual([hash]);
    const file = await blobs.open(ann, hash);
    expect(file?.size).toBe(bytes.byteLength);
    expect(await readAll(file!.stream)).toEqual(bytes);
  });

  it("answers existed for a blob already stored, leaving it as it was", async () => {
    await blobs.write(ann, hash, chunks(bytes), 1 << 20);
    expect(await blobs.write(ann, hash, chunks(bytes), 1 << 20)).toEqual({ ok: true, size: bytes.byteLength, existed: true });
    expect(await filesOf(ann)).toEqual([hash]);
    expect(new Uint8Array(await readFile(join(dir, "blobs", ann, hash)))).toEqual(bytes);
  });

  it("stores an empty blob", async () => {
    const empty = new Uint8Array(0);
    expect(await blobs.write(ann, sha256(empty), chunks(), 10)).toEqual({ ok: true, size: 0, existed: false });
    expect((await blobs.open(ann, sha256(empty)))?.size).toBe(0);
  });

  it("refuses bytes whose SHA-256 differs from the hash and keeps nothing", async () => {
    const other = sha256(new Uint8Array([1]));
    expect(await blobs.write(ann, other, chunks(bytes), 1 << 20)).toEqual({ ok: false, code: "hash_mismatch" });
    expect(await filesOf(ann)).toEqual([]);
    expect(await blobs.open(ann, other)).toBeNull();
  });

  it("accepts exactly the limit and refuses one byte more, without reading the rest", async () => {
    expect(await blobs.write(ann, hash, chunks(bytes), bytes.byteLength)).toMatchObject({ ok: true });

    let pulled = 0;
    let stopped = false;
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) {
          pulled++;
          yield new Uint8Array(1_000);
        }
      } finally {
        stopped = true;
      }
    }
    const big = sha256(new Uint8Array(0));
    expect(await blobs.write(bob, big, endless(), 4_500)).toEqual({ ok: false, code: "too_large" });
    expect(pulled).toBe(5);
    expect(stopped).toBe(true);
    expect(await filesOf(bob)).toEqual([]);
  });

  it("keeps no file when the source fails midway", async () => {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield bytes.subarray(0, 100);
      throw new Error("connection reset");
    }
    await expect(blobs.write(ann, hash, broken(), 1 << 20)).rejects.toThrow("connection reset");
    expect(await filesOf(ann)).toEqual([]);
  });

  it("refuses a hash or user id that is not one, before touching the disk", async () => {
    for (const bad of ["../../../etc/passwd", "..", hash.toUpperCase(), `${hash}/x`, hash.slice(1)]) {
      await expect(blobs.write(ann, bad as BlobHash, chunks(bytes), 1 << 20)).rejects.toThrow(TypeError);
      expect(await blobs.open(ann, bad)).toBeNull();
    }
    await expect(blobs.write("../u_x" as UserId, hash, chunks(bytes), 1 << 20)).rejects.toThrow(TypeError);
    await expect(blobs.deleteUser("../.." as UserId)).rejects.toThrow(TypeError);
    expect(await blobs.open("../.." as UserId, hash)).toBeNull();
    expect(await readdir(dir)).toEqual([]);
  });

  it("[X6] one user's blob is never opened or deleted through another user", async () => {
    await blobs.write(ann, hash, chunks(bytes), 1 << 20);
    expect(await blobs.open(bob, hash)).toBeNull();
    await blobs.deleteUser(bob);
    await blobs.remove(bob, hash);
    expect((await blobs.open(ann, hash))?.size).toBe(bytes.byteLength);
  });

  it("removes one blob, or every blob of a user", async () => {
    const small = new Uint8Array([1, 2, 3]);
    await blobs.write(ann, hash, chunks(bytes), 1 << 20);
    await blobs.write(ann, sha256(small), chunks(small), 1 << 20);
    await blobs.write(bob, hash, chunks(bytes), 1 << 20);
    await blobs.remove(ann, hash);
    expect(await filesOf(ann)).toEqual([sha256(small)]);
    await blobs.deleteUser(ann);
    expect(await blobs.open(ann, sha256(small))).toBeNull();
    expect(await readdir(join(dir, "blobs"))).toEqual([bob]);
    await blobs.deleteUser(ann);
  });

  it("clears temp files a crash left behind, and nothing else", async () => {
    await blobs.write(ann, hash, chunks(bytes), 1 << 20);
    await writeFile(join(dir, "blobs", ann, ".tmp-0123"), "partial");
    await mkdir(join(dir, "blobs", "not-a-user"));
    await writeFile(join(dir, "blobs", "not-a-user", ".tmp-1"), "x");
    await blobs.removeLeftovers();
    expect(await filesOf(ann)).toEqual([hash]);
    expect(await readdir(join(dir, "blobs", "not-a-user"))).toEqual([".tmp-1"]);
  });
});
