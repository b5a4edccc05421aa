import * as A from "@automerge/automerge";
import { describe, expect, it } from "vitest";
import { deterministicDoc, initialChange } from "./deterministicDoc.js";
import { imm, str } from "./Imm.js";
import type { ChannelId, DocumentId, MessageId, SessionId } from "./ids.js";
import { threadInitial, type ThreadDoc } from "./ThreadDoc.js";

const thread = (): ThreadDoc =>
  threadInitial({
    channel: "c1" as ChannelId,
    channelDoc: "doc-c1" as DocumentId,
    session: "s1" as SessionId,
    parentDoc: "page-0" as DocumentId,
    parentMessage: "m1" as MessageId,
  });

describe("deterministicDoc", () => {
  it("produces byte-identical saves on two calls", () => {
    expect(initialChange(thread())).toEqual(initialChange(thread()));
    expect(A.getHeads(deterministicDoc(thread()))).toEqual(A.getHeads(deterministicDoc(thread())));
  });

  it("does not depend on the order in which the initial object's keys were written", () => {
    const a = { b: 1, a: { y: imm("y"), x: 2 } };
    const b = { a: { x: 2, y: imm("y") }, b: 1 };
    expect(initialChange(a)).toEqual(initialChange(b));
  });

  it("lets two devices that both created it offline keep both of their later writes", () => {
    const device1 = A.change(A.load<ThreadDoc>(initialChange(thread())), (d) => {
      d.messages["r1" as MessageId] = { id: imm("r1" as MessageId), role: imm("user"), text: imm("one"), createdAt: 1 };
    });
    const device2 = A.change(A.load<ThreadDoc>(initialChange(thread())), (d) => {
      d.messages["r2" as MessageId] = { id: imm("r2" as MessageId), role: imm("user"), text: imm("two"), createdAt: 2 };
    });
    const merged = A.merge(A.clone(device1), device2);
    expect(Object.keys(merged.messages).sort()).toEqual(["r1", "r2"]);
    expect(str(merged.messages["r2" as MessageId]!.text)).toBe("two");
  });

  it("leaves later changes to the loading device's own actor", () => {
    const doc = A.change(A.load<ThreadDoc>(initialChange(thread())), (d) => {
      d.parent.message = imm("m2" as MessageId);
    });
    expect(A.getActorId(doc)).not.toBe("00".repeat(16));
  });
});
