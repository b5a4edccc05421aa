import { parseStreamId } from "@botschat/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { docId, fastVault } from "../test/fixtures.js";
import { ready, sodium } from "./ready.js";
import { ROOT_DOCUMENT_ID, rootStreamId, streamIdFor } from "./streamIdFor.js";
import type { VaultKeys } from "./Vault.js";

let keys: VaultKeys;
let otherKeys: VaultKeys;
beforeAll(async () => {
  await ready();
  keys = fastVault("one").keys;
  otherKeys = fastVault("two").keys;
});

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("stream ids", () => {
  it("[K3] a document's stream id is BLAKE2b-256 keyed with the stream-id key over 'doc:' + id", () => {
    const id = docId("channel/général");
    const expected = sodium().crypto_generichash(32, utf8("doc:channel/général"), keys.streamIdKey);
    expect(streamIdFor(keys, id)).toEqual(expected);
  });

  it("[K3] the root stream id is BLAKE2b-256 keyed with the stream-id key over 'root'", () => {
    expect(rootStreamId(keys)).toEqual(sodium().crypto_generichash(32, utf8("root"), keys.streamIdKey));
  });

  it("[K3] the root document lives on the root stream, never on the 'doc:root' stream", () => {
    const docRoot = sodium().crypto_generichash(32, utf8("doc:root"), keys.streamIdKey);
    expect(streamIdFor(keys, ROOT_DOCUMENT_ID)).toEqual(rootStreamId(keys));
    expect(streamIdFor(keys, ROOT_DOCUMENT_ID)).not.toEqual(docRoot);
  });

  it("stream ids are stable, distinct per document and per vault, and within the relay's stream bounds", () => {
    const a = streamIdFor(keys, docId("a"));
    expect(streamIdFor(keys, docId("a"))).toEqual(a);
    expect(streamIdFor(keys, docId("b"))).not.toEqual(a);
    expect(streamIdFor(otherKeys, docId("a"))).not.toEqual(a);
    expect(rootStreamId(otherKeys)).not.toEqual(rootStreamId(keys));
    expect(parseStreamId(a)).toBeDefined();
    expect(a).toHaveLength(32);
  });
});
