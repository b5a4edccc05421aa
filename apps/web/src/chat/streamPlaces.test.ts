import type { MessageView } from "@botschat/model";
import { describe, expect, it } from "vitest";
import { streamPlaces } from "./streamPlaces.js";

const msg = (id: string, role: "user" | "agent", extra: Record<string, unknown> = {}): MessageView =>
  ({ id, role, text: id, ts: 0, ...extra }) as unknown as MessageView;

describe("streamPlaces", () => {
  it("puts a stream under the message it answers, before the messages written after it", () => {
    const rows = [msg("q1", "user"), msg("a1", "agent", { replyTo: "q1" }), msg("q2", "user"), msg("q3", "user")];
    const { after, atBottom } = streamPlaces(rows, [{ message: "q2" }], rows);
    expect([...after]).toEqual([["q2", [{ message: "q2" }]]]);
    expect(atBottom).toEqual([]);
  });

  it("puts a regenerate's stream under the older exchange it replaces, after the answer shown there", () => {
    const q1 = msg("q1", "user", {
      versions: [
        { kind: "regenerate", ask: msg("q1", "user") },
        { kind: "regenerate", ask: msg("v2", "user") },
      ],
    });
    const rows = [q1, msg("a1", "agent", { replyTo: "q1" }), msg("q2", "user"), msg("a2", "agent", { replyTo: "q2" })];
    const { after } = streamPlaces(rows, [{ message: "v2" }], rows);
    expect([...after.keys()]).toEqual(["a1"]);
  });

  it("sends a stream whose message is not shown to the bottom", () => {
    const rows = [msg("q1", "user")];
    expect(streamPlaces(rows, [{ message: "elsewhere" }], rows).atBottom).toEqual([{ message: "elsewhere" }]);
  });
});
