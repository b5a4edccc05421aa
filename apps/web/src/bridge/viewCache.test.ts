import type { DocumentId, MessageView } from "@botschat/model";
import { afterEach, describe, expect, it } from "vitest";
import { type CachedView, MAX_CACHED_CHARS, viewCache, viewCacheKey } from "./viewCache.js";

const m = (id: string, text = id): MessageView => ({ id, role: "user", text, createdAt: 1, status: "sent", attempt: 0 }) as unknown as MessageView;
const view = (messages: MessageView[]): CachedView => ({
  root: { channels: [], gateways: [] },
  pages: [{ doc: "p1" as DocumentId, messages, present: true }],
  savedAt: 1,
});

describe("the cached last screen", () => {
  afterEach(() => localStorage.clear());

  it("is read back synchronously after a save, per account, and is gone after clear", async () => {
    await viewCache.save("u1", view([m("a"), m("b")]));
    expect(viewCache.peek("u1")?.pages[0]!.messages.map((x) => x.id)).toEqual(["a", "b"]);
    expect(viewCache.peek("u2")).toBeUndefined();
    await viewCache.clear("u1");
    expect(viewCache.peek("u1")).toBeUndefined();
  });

  it("keeps the newest messages when the screen is too large, never more than the limit", async () => {
    const big = "x".repeat(MAX_CACHED_CHARS / 8);
    await viewCache.save("u1", view(Array.from({ length: 20 }, (_, i) => m(`m${i}`, big))));
    const json = localStorage.getItem(viewCacheKey("u1"))!;
    expect(json.length).toBeLessThanOrEqual(MAX_CACHED_CHARS);
    const ids = viewCache.peek("u1")!.pages[0]!.messages.map((x) => x.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.at(-1)).toBe("m19");
  });

  it("reads something that is not a cached screen as none", () => {
    localStorage.setItem(viewCacheKey("u1"), "{not json");
    expect(viewCache.peek("u1")).toBeUndefined();
    localStorage.setItem(viewCacheKey("u1"), JSON.stringify({ pages: "no" }));
    expect(viewCache.peek("u1")).toBeUndefined();
  });
});
