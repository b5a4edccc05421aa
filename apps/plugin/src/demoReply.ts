import type { ActionBlockInput } from "@botschat/model";
import type { ActionChoice, AgentRequest } from "./AgentBackend.js";
import { DEMO_BROKEN_BLOCK, DEMO_FORM, DEMO_RADIO, demoCards } from "./demoBlocks.js";

/** What the demo agent says to one request, before it is streamed. */
export interface DemoReply {
  text: string;
  reasoning: string;
  tool?: { name: string; summary: string };
  actions?: ActionBlockInput[];
  /** The demo agent was asked to fail: it streams a little, then throws this. */
  failWith?: string;
}

const has = (text: string, ...words: string[]) => words.some((w) => new RegExp(`\\b${w}`, "i").test(text));

/**
 * The demo agent's script: a reply chosen by keywords of the prompt, with markdown that
 * exercises a chat UI (headings, lists, code blocks, tables), action blocks for some prompts, a
 * reasoning step always and a tool call when the prompt asks to look something up. `turn` is the
 * number of the message in its conversation (1 for the first), so separate histories show; the
 * footer names the model that answered, so an answer from another model shows too.
 */
export function demoReply(request: Pick<AgentRequest, "text" | "parent" | "answer" | "conversation" | "model" | "version">, turn: number): DemoReply {
  const text = request.text.trim();
  const quoted = text.length > 80 ? `${text.slice(0, 77)}…` : text;
  const again = request.version === "regenerate" ? " again, for another answer" : request.version === "edit" ? " in an edited message" : "";
  const reasoning = `The person wrote “${quoted}”${again} (message ${turn} of this conversation). I will answer in markdown.`;
  const model = request.model === undefined ? "" : ` · model \`${request.model}\``;
  const footer = `\n\n_Message ${turn} of conversation \`${request.conversation}\`${model}._`;

  if (request.answer !== undefined) return { reasoning, text: `${answered(request.answer)}${footer}` };
  const context = request.parent === undefined ? "" : `> In reply to: ${request.parent.text.split("\n")[0]}\n\n`;
  if (has(text, "fail")) return { reasoning, text: "Trying that now", failWith: "The demo agent was asked to fail." };
  if (has(text, "code", "function", "typescript")) {
    return {
      reasoning,
      text:
        `${context}Here is a small TypeScript function:\n\n` +
        "```ts\nexport function fibonacci(n: number): number {\n  let [a, b] = [0, 1];\n  for (let i = 0; i < n; i++) [a, b] = [b, a + b];\n  return a;\n}\n```\n\n" +
        `It runs in **O(n)** time and constant space.${footer}`,
    };
  }
  if (has(text, "table", "compare")) {
    return {
      reasoning,
      text:
        `${context}| Model | Speed | Depth |\n|---|---|---|\n| demo/fast | ⚡⚡⚡ | ★ |\n| demo/smart | ⚡⚡ | ★★★ |\n| demo/creative | ⚡ | ★★ |\n\n` +
        `Pick one with \`/model <id>\`.${footer}`,
    };
  }
  if (has(text, "radio")) return { reasoning, text: `${context}A few ways to write it up.${footer}`, actions: [DEMO_RADIO] };
  if (has(text, "cards")) {
    return { reasoning, text: `${context}Here is what I can offer.${footer}`, actions: [demoCards(has(text, "several", "multiple"))] };
  }
  if (has(text, "form")) return { reasoning, text: `${context}Tell me about the project.${footer}`, actions: [DEMO_FORM] };
  if (has(text, "broken")) return { reasoning, text: `${context}This block is not one BotsChat knows.${footer}`, actions: [DEMO_BROKEN_BLOCK] };
  if (has(text, "choose", "button", "option")) {
    return {
      reasoning,
      text: `${context}Which one would you like?${footer}`,
      actions: [
        {
          kind: "buttons",
          id: "pick-colour",
          prompt: "Pick a colour",
          options: [
            { value: "red", label: "Red", style: "danger" },
            { value: "green", label: "Green", style: "primary" },
            { value: "blue", label: "Blue" },
          ],
        },
      ],
    };
  }
  if (has(text, "confirm", "delete")) {
    return {
      reasoning,
      text: `${context}This cannot be undone.${footer}`,
      actions: [{ kind: "confirm", id: "confirm-delete", prompt: "Delete the demo files?", confirmLabel: "Delete", cancelLabel: "Keep" }],
    };
  }
  if (has(text, "select", "pick")) {
    return {
      reasoning,
      text: `${context}Choose a city for the forecast.${footer}`,
      actions: [
        {
          kind: "select",
          id: "city",
          placeholder: "City",
          options: [
            { value: "paris", label: "Paris" },
            { value: "tokyo", label: "Tokyo" },
            { value: "lima", label: "Lima" },
          ],
        },
      ],
    };
  }
  if (has(text, "name", "input", "ask me")) {
    return {
      reasoning,
      text: `${context}What should I call this project?${footer}`,
      actions: [{ kind: "input", id: "project-name", prompt: "Project name", placeholder: "e.g. Apollo", submitLabel: "Save" }],
    };
  }
  if (has(text, "weather", "search", "look up", "tool")) {
    return {
      reasoning,
      tool: { name: "web_search", summary: `searched for “${quoted}”: 3 results` },
      text: `${context}I looked it up:\n\n1. **Sunny** in the morning, 21 °C\n2. Clouds after noon\n3. Light rain in the evening\n\nSource: the demo search tool.${footer}`,
    };
  }
  const long = has(text, "long", "essay", "story");
  const body = long
    ? Array.from(
        { length: 12 },
        (_, i) => `${i + 1}. Paragraph ${i + 1}: the demo agent keeps talking so a reply takes a while to stream, which shows partial replies on every device.`,
      ).join("\n")
    : `- You said: *${quoted}*\n- I am the **demo agent**: no model is called, every word is scripted.\n- Try \`code\`, \`table\`, \`choose\`, \`confirm\`, \`select\`, \`input\`, \`radio\`, \`cards\`, \`several cards\`, \`form\`, \`broken\`, \`weather\` or \`/help\`.`;
  return { reasoning, text: `${context}## Demo reply\n\n${body}${footer}` };
}

/** The demo agent's answer to a choice: a form's values one per line, anything else as chosen. */
function answered(answer: ActionChoice): string {
  const values = objectOf(answer.value);
  if (values === undefined) {
    return `You chose **${answer.label}** (\`${answer.value}\`) on block \`${answer.block}\`. Noted — carrying on with that.`;
  }
  const lines = Object.entries(values).map(([name, v]) => `- \`${name}\`: ${typeof v === "boolean" ? (v ? "yes" : "no") : String(v)}`);
  return `You submitted the form on block \`${answer.block}\`:\n\n${lines.join("\n")}\n\nNoted — carrying on with that.`;
}

function objectOf(value: string): Record<string, unknown> | undefined {
  if (!value.startsWith("{")) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
