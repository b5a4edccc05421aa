import type { MessageView } from "@botschat/model";
import { describe, expect, it } from "vitest";
import { GROUP_GAP_MS, groupMessages } from "./groupMessages.js";

const T0 = new Date(2026, 10, 24, 10, 0).getTime();
function msg(id: string, role: "user" | "agent", at: number, extra: Partial<MessageView> = {}): MessageView {
  return {
    id,
    role,
    text: id,
    createdAt: at,
    status: "answered",
    attempt: 0,
    ...(role === "user" ? { author: "d1" } : { gateway: "g1" }),
    ...extra,
  } as MessageView;
}

describe("groupMessages", () => {
  it("starts a group when the sender changes and continues it for the same sender", () => {
    const rows = groupMessages([msg("a", "user", T0), msg("b", "user", T0 + 1000), msg("c", "agent", T0 + 2000), msg("d", "agent", T0 + 3000)], T0);
    expect(rows.map((r) => r.first)).toEqual([true, false, true, false]);
  });

  it("starts a new group after a long pause by the same sender", () => {
    const rows = groupMessages([msg("a", "user", T0), msg("b", "user", T0 + GROUP_GAP_MS + 1)], T0);
    expect(rows.map((r) => r.first)).toEqual([true, true]);
  });

  it("treats two devices of the person as different senders", () => {
    const rows = groupMessages([msg("a", "user", T0), msg("b", "user", T0 + 10, { author: "d2" } as Partial<MessageView>)], T0);
    expect(rows[1]?.first).toBe(true);
  });

  it("labels the first message of each day", () => {
    const yesterday = T0 - 86_400_000;
    const rows = groupMessages([msg("a", "user", yesterday), msg("b", "user", yesterday + 1000), msg("c", "user", T0)], T0);
    expect(rows.map((r) => r.day)).toEqual(["Yesterday", undefined, "Today"]);
    expect(rows[2]?.first).toBe(true);
  });
});
