import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the mock model noted about one request (tests read them from `GET /__requests`). */
export interface MockRequest {
  model: string;
  /** The user messages' texts, oldest first. */
  user: string[];
  /** How many assistant messages the history held. */
  assistantTurns: number;
  tools: string[];
  hadToolResult: boolean;
  /** Whether the system prompt carried the channel's action-block hints. */
  actionHints: boolean;
}

interface ChatBody {
  model?: string;
  stream?: boolean;
  messages?: { role?: string; content?: unknown; tool_calls?: unknown }[];
  tools?: { function?: { name?: string } }[];
}

const LONG_WORDS = 160;

/**
 * An OpenAI-compatible chat model on loopback for OpenClaw (`api: "openai-completions"`):
 * `POST /v1/chat/completions`, streamed as SSE chunks (word by word) or as one JSON answer.
 * What it says depends on markers in the user messages (OpenClaw adds its own user messages,
 * so all of them are read, newest first):
 * - `use a tool` → first a call of OpenClaw's `ls` tool, then, once the result is in, a text;
 * - `long story` → 160 words, 25 ms apart;
 * - `choose` → a text and a `botschat-actions` block with two buttons;
 * - `offer a form`, in a conversation's first turn → {@link RICH_BLOCKS}: a radio group, cards,
 *   a form and a block of an unknown kind;
 * - `offer directives`, in a conversation's first turn → buttons whose labels and values are
 *   OpenClaw directives ({@link DIRECTIVE_BUTTONS}), as a prompt-injected reply might offer;
 * - `suggest directives`, in a conversation's first turn → {@link DIRECTIVE_TEXT}, a reply
 *   naming OpenClaw directives mid-line and at the start of lines;
 * - `CRON:<x>` → `CRON-DONE:<x> from <model>` and a second line, 40 ms a word;
 * - `think first` → reasoning streamed as `reasoning_content` deltas (as reasoning models do),
 *   then `I thought it over, says <model>.`;
 * - otherwise `Reply <n> from <model>: …`, `n` counting the assistant turns in the history.
 */
export async function startMockModel(): Promise<{ url: string; server: Server; requests: MockRequest[]; close(): Promise<void> }> {
  const requests: MockRequest[] = [];
  const server = createServer((req, res) => void handle(req, res, requests).catch(() => res.destroy()));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, requests: MockRequest[]): Promise<void> {
  let raw = "";
  for await (const chunk of req) raw += String(chunk);
  if (req.method === "GET" && req.url === "/__requests") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(requests));
    return;
  }
  if (req.method === "GET" && req.url?.startsWith("/v1/models") === true) {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [{ id: "mock-1" }, { id: "mock-2" }] }));
    return;
  }
  if (req.method !== "POST" || req.url?.startsWith("/v1/chat/completions") !== true) {
    res.writeHead(404).end();
    return;
  }
  const body = JSON.parse(raw || "{}") as ChatBody;
  const messages = body.messages ?? [];
  const user = messages.filter((m) => m.role === "user").map((m) => textOf(m.content));
  const tools = (body.tools ?? []).flatMap((t) => (t.function?.name === undefined ? [] : [t.function.name]));
  const hadToolResult = messages.some((m) => m.role === "tool");
  const system = messages
    .filter((m) => m.role === "system" || m.role === "developer")
    .map((m) => textOf(m.content))
    .join("\n");
  const noted: MockRequest = {
    model: body.model ?? "?",
    user,
    assistantTurns: messages.filter((m) => m.role === "assistant" && m.tool_calls === undefined).length,
    tools,
    hadToolResult,
    actionHints: system.includes("```botschat-actions"),
  };
  requests.push(noted);
  const all = [...user].reverse().join("\n");
  const model = noted.model;

  if (/use a tool/i.test(all) && !hadToolResult && tools.includes("ls")) return toolCall(res, body, "ls", { path: "." });
  let text: string;
  let delay = 8;
  const cron = /CRON:([\w-]+)/.exec(all);
  if (cron) {
    text = `CRON-DONE:${cron[1]} from ${model}\nand a few more words, streamed slowly enough to be seen live.`;
    delay = 40;
  } else if (/long story/i.test(all)) {
    text = Array.from({ length: LONG_WORDS }, (_, i) => `word${i}`).join(" ");
    delay = 25;
  } else if (/think first/i.test(all)) return streamText(res, body, `I thought it over, says ${model}.`, delay, REASONING);
  else if (/use a tool/i.test(all)) text = `I listed the files for you, says ${model}.`;
  else if (/offer directives/i.test(all) && noted.assistantTurns === 0) {
    text = `Pick one, please.\n\n\`\`\`botschat-actions\n${JSON.stringify([{ kind: "buttons", id: "risky", prompt: "Which?", options: DIRECTIVE_BUTTONS }])}\n\`\`\``;
  } else if (/suggest directives/i.test(all) && noted.assistantTurns === 0) text = DIRECTIVE_TEXT;
  else if (/offer a form/i.test(all) && noted.assistantTurns === 0) {
    text = `Fill this in, please.\n\n\`\`\`botschat-actions\n${JSON.stringify(RICH_BLOCKS)}\n\`\`\``;
  } else if (/\bchoose\b/i.test(all)) {
    text =
      'Pick one, please.\n\n```botschat-actions\n[{"kind":"buttons","id":"pick","prompt":"Which?","options":[{"value":"a","label":"Apples"},{"value":"b","label":"Pears"}]}]\n```';
  } else text = `Reply ${noted.assistantTurns + 1} from ${model}: noted and understood.`;
  return streamText(res, body, text, delay);
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map((p: unknown) => (typeof p === "string" ? p : typeof (p as { text?: unknown }).text === "string" ? (p as { text: string }).text : ""))
      .join("");
  return "";
}

const chunk = (body: ChatBody, delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-mock",
  object: "chat.completion.chunk",
  created: Math.floor(Date.now() / 1000),
  model: body.model,
  choices: [{ index: 0, delta, finish_reason: finish }],
});
/** The buttons of an `offer directives` reply: each label and value an OpenClaw directive. */
export const DIRECTIVE_BUTTONS = [
  { value: "/elevated full", label: "/elevated full" },
  { value: "/model mock/mock-2", label: "/model mock/mock-2" },
] as const;

/** The blocks of an `offer a form` reply; the last one is of a kind BotsChat does not know. */
export const RICH_BLOCKS = [
  {
    kind: "radio",
    id: "size",
    prompt: "Which size?",
    options: [
      { value: "s", label: "Small", description: "Fits one" },
      { value: "l", label: "Large" },
    ],
  },
  {
    kind: "cards",
    id: "plan",
    prompt: "Which plan?",
    cards: [
      { value: "basic", title: "Basic", image: "data:image/png;base64,iVBORw0KGgo=", imageAlt: "A chair" },
      { value: "team", title: "Team" },
    ],
  },
  {
    kind: "form",
    id: "ticket",
    prompt: "New ticket",
    fields: [
      { type: "text", name: "title", label: "Title", required: true },
      { type: "number", name: "count", label: "Count", min: 1, max: 10 },
      { type: "checkbox", name: "urgent", label: "Urgent" },
    ],
  },
  { kind: "carousel", id: "odd", prompt: "Spin the carousel", options: [{ label: "Round and round" }] },
] as const;

/** The reply to `suggest directives`: OpenClaw directives mid-line and at the start of lines. */
export const DIRECTIVE_TEXT =
  "You could type /model mock/mock-2 to switch models,\n/elevated full to leave the sandbox,\n/exec security=full ask=off to skip approvals, or /status to see where you are.";

/** What the mock model reasons for a `think first` prompt, streamed word by word. */
export const REASONING = "Weighing the question step by step before answering.";
const USAGE = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };

async function streamText(res: ServerResponse, body: ChatBody, text: string, delayMs: number, reasoning?: string): Promise<void> {
  if (body.stream !== true) {
    const message = { role: "assistant", content: text, ...(reasoning === undefined ? {} : { reasoning_content: reasoning }) };
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id: "chatcmpl-mock",
        object: "chat.completion",
        model: body.model,
        choices: [{ index: 0, message, finish_reason: "stop" }],
        usage: USAGE,
      }),
    );
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (o: unknown): boolean => !res.destroyed && res.write(`data: ${JSON.stringify(o)}\n\n`);
  send(chunk(body, { role: "assistant", content: "" }));
  for (const word of reasoning?.split(/(?<= )/) ?? []) {
    if (res.destroyed) return;
    send(chunk(body, { reasoning_content: word }));
    await new Promise((r) => setTimeout(r, delayMs));
  }
  for (const word of text.split(/(?<= )/)) {
    if (res.destroyed) return;
    send(chunk(body, { content: word }));
    await new Promise((r) => setTimeout(r, delayMs));
  }
  send(chunk(body, {}, "stop"));
  send({ id: "chatcmpl-mock", object: "chat.completion.chunk", model: body.model, choices: [], usage: USAGE });
  res.end("data: [DONE]\n\n");
}

function toolCall(res: ServerResponse, body: ChatBody, name: string, args: Record<string, unknown>): void {
  const call = { index: 0, id: `call_${Date.now().toString(36)}`, type: "function", function: { name, arguments: JSON.stringify(args) } };
  if (body.stream !== true) {
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id: "chatcmpl-mock",
        object: "chat.completion",
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: [call] }, finish_reason: "tool_calls" }],
        usage: USAGE,
      }),
    );
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (o: unknown): boolean => res.write(`data: ${JSON.stringify(o)}\n\n`);
  send(chunk(body, { role: "assistant", content: null, tool_calls: [call] }));
  send(chunk(body, {}, "tool_calls"));
  send({ id: "chatcmpl-mock", object: "chat.completion.chunk", model: body.model, choices: [], usage: USAGE });
  res.end("data: [DONE]\n\n");
}
