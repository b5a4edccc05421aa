import type { MessageView } from "@botschat/model";
import { describe, expect, it } from "vitest";
import { answerOrder } from "./answerOrder.js";

const msg = (id: string, role: MessageView["role"], replyTo?: string): MessageView =>
  ({ id, role, text: id, createdAt: 0, status: "answered", attempt: 0, ...(replyTo ? { replyTo } : {}) }) as MessageView;

describe("answerOrder", () => {
  it("puts each reply under the message it answers, even when the person wrote more in between", () => {
    const order = answerOrder([msg("q1", "user"), msg("q2", "user"), msg("a1", "agent", "q1"), msg("a2", "agent", "q2")]);
    expect(order.map((m) => m.id)).toEqual(["q1", "a1", "q2", "a2"]);
  });

  it("keeps what it cannot place where it is: a reply to a message on another page, a person's quote of a reply", () => {
    const order = answerOrder([msg("a0", "agent", "elsewhere"), msg("q1", "user"), msg("a1", "agent", "q1"), msg("q2", "user", "a1")]);
    expect(order.map((m) => m.id)).toEqual(["a0", "q1", "a1", "q2"]);
  });

  it("keeps two replies to one message (a retry) in their order, under it", () => {
    const order = answerOrder([msg("q1", "user"), msg("q2", "user"), msg("a1", "agent", "q1"), msg("a1b", "agent", "q1")]);
    expect(order.map((m) => m.id)).toEqual(["q1", "a1", "a1b", "q2"]);
  });
});
