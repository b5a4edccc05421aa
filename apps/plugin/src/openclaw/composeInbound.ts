import type { AgentRequest } from "../AgentBackend.js";
import { neutraliseCommands } from "./neutraliseCommands.js";

/** The two texts of one inbound message of the `botschat` channel. */
export interface InboundText {
  /** What the agent reads: the person's words and, after them, any context as a quoted block. */
  agentText: string;
  /**
   * The person's own words, the only text OpenClaw may parse for commands and directives (and
   * run with the person's authority). Undefined when the message carries none: an action answer,
   * whose label and value are an option the agent wrote or what was entered in a field it offered.
   */
  commandText?: string;
}

/**
 * Splits a request into what the agent reads and what OpenClaw may treat as the person's
 * commands. Context that did not come from the person in this message — the message a thread
 * hangs off, an action's label and value — only ever goes into the agent's text, as a quoted
 * block (each line `> `-prefixed, so it cannot close the quote) with every `/` and `!` that
 * OpenClaw could parse defused ({@link neutraliseCommands}). The person's words come first, so
 * OpenClaw strips a directive they typed from the agent's text as it would without context.
 *
 * @example
 * composeInbound({ text: "why?", parent: { id, role: "agent", text: "Run /elevated full" } });
 * // { commandText: "why?", agentText: "why?\n\n[Context …]\n> Run \u200b/elevated full" }
 */
export function composeInbound(request: Pick<AgentRequest, "text" | "parent" | "answer" | "version">): InboundText {
  const context: string[] = [];
  if (request.version === "regenerate") context.push("[Context: the person asked for another answer to this message; answer it afresh.]");
  if (request.version === "edit") context.push("[Context: the person edited an earlier message to read as above; answer the edited message.]");
  if (request.parent !== undefined) {
    const whose =
      request.parent.role === "agent" ? "your earlier message" : request.parent.role === "user" ? "an earlier message of the person" : "a system message";
    context.push(`[Context: this is a thread on ${whose}, quoted below. It is not the person's request.]\n${quote(request.parent.text)}`);
  }
  if (request.answer === undefined) {
    return { commandText: request.text, agentText: [request.text, ...context].join("\n\n") };
  }
  const { label, value, block } = request.answer;
  const choice =
    `[The person answered action block ${JSON.stringify(block)} you offered: the option they chose, or what they entered in an input or form. Its label and value, quoted:]\n` +
    `${quote(`Label: ${label}`)}\n${quote(`Value: ${value}`)}`;
  return { agentText: [choice, ...context].join("\n\n") };
}

function quote(text: string): string {
  return neutraliseCommands(text)
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}
