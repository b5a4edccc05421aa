import { isValidDocumentId } from "@automerge/automerge-repo";
import { describe, expect, it } from "vitest";
import { deriveDocumentId, jobLogDocId, monthOf, pageDocId, ROOT_DOC_ID, threadDocId } from "./deriveDocumentId.js";
import type { DocumentId, MessageId, SessionId, TaskId } from "./ids.js";
import { derivedId, parseId, randomId } from "./ids.js";

describe("deriveDocumentId", () => {
  it("gives every device the same valid DocumentId for the same name", () => {
    expect(deriveDocumentId("thread:a:b")).toBe(deriveDocumentId("thread:a:b"));
    expect(isValidDocumentId(deriveDocumentId("x"))).toBe(true);
    expect(ROOT_DOC_ID).toBe(deriveDocumentId("root"));
  });

  it("derives threads, pages and job logs from what they belong to", () => {
    const page = "page0" as DocumentId;
    expect(threadDocId(page, "m1" as MessageId)).toBe(deriveDocumentId("thread:page0:m1"));
    expect(threadDocId(page, "m1" as MessageId)).not.toBe(threadDocId(page, "m2" as MessageId));
    expect(pageDocId("s1" as SessionId, 1)).toBe(deriveDocumentId("page:s1:1"));
    expect(() => pageDocId("s1" as SessionId, 0)).toThrow(RangeError);
    expect(jobLogDocId("t1" as TaskId, "2025-03")).toBe(deriveDocumentId("jobs:t1:2025-03"));
    expect(() => jobLogDocId("t1" as TaskId, "2025-3")).toThrow(RangeError);
  });

  it("names the UTC month of a time", () => {
    expect(monthOf(Date.UTC(2025, 0, 31, 23, 59))).toBe("2025-01");
    expect(monthOf(Date.UTC(2025, 11, 1))).toBe("2025-12");
  });
});

describe("ids", () => {
  it("makes random ids that differ and derived ids that repeat", () => {
    expect(randomId()).toMatch(/^[0-9a-f]{32}$/);
    expect(randomId()).not.toBe(randomId());
    expect(derivedId("reply", "m1", "r1")).toBe(derivedId("reply", "m1", "r1"));
    expect(derivedId("reply", "m1", "r1")).not.toBe(derivedId("reply", "m1", "r2"));
  });

  it("accepts printable ids and refuses empty, long or spaced ones", () => {
    expect(parseId("gw-home_1")).toBe("gw-home_1");
    expect(parseId("")).toBeUndefined();
    expect(parseId("a b")).toBeUndefined();
    expect(parseId("x".repeat(129))).toBeUndefined();
  });
});
