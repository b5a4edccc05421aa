import type { DocumentId, MessageView } from "@botschat/model";
import { describe, expect, it } from "vitest";
import type { StreamView } from "../shared/views.js";
import { openStreams } from "./MessageList.js";

const ask = (id: string, status: MessageView["status"]): MessageView => ({ id, role: "user", text: id, createdAt: 1, status, attempt: 0 }) as MessageView;
const stream = (message: string, done = false): StreamView => ({
  doc: "d" as DocumentId,
  message: message as never,
  run: `r-${message}` as never,
  seq: 1,
  text: "partial",
  reasoning: "",
  tools: [],
  done,
  startedAt: 0,
});

describe("openStreams", () => {
  it("shows a stream until the agent's reply to that message is in the document", () => {
    const streams = new Map([["a", stream("a")]]);
    expect(openStreams([ask("a", "received")], streams)).toHaveLength(1);
    const reply = { id: "r", role: "agent", text: "done", createdAt: 2, status: "answered", attempt: 0, replyTo: "a" } as MessageView;
    expect(openStreams([ask("a", "answered"), reply], streams)).toHaveLength(0);
  });

  it("drops a finished stream once its message ended in an error", () => {
    expect(openStreams([ask("a", "error")], new Map([["a", stream("a", true)]]))).toHaveLength(0);
  });

  it("ignores streams about messages of other documents", () => {
    expect(openStreams([ask("a", "received")], new Map([["b", stream("b")]]))).toHaveLength(0);
  });

  it("shows the stream of a version (an edit, another answer) until that version's answer is in", () => {
    const streams = new Map([["v", stream("v")]]);
    const first = ask("a", "answered");
    const version = { ...ask("v", "received"), versionOf: "a" } as MessageView;
    const reply = { id: "r", role: "agent", text: "again", createdAt: 2, status: "answered", attempt: 0, replyTo: "v" } as MessageView;
    expect(
      openStreams(
        [
          {
            ...first,
            versions: [
              { kind: "original", ask: first },
              { kind: "regenerate", ask: version },
            ],
          },
        ],
        streams,
      ),
    ).toHaveLength(1);
    const answered = {
      ...first,
      versions: [
        { kind: "original" as const, ask: first },
        { kind: "regenerate" as const, ask: version, reply },
      ],
    };
    expect(openStreams([answered], streams)).toHaveLength(0);
  });
});
