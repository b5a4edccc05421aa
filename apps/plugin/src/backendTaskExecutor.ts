import type { AgentBackend, AgentResult } from "./AgentBackend.js";
import type { TaskExecutor } from "./DemoScheduler.js";

/**
 * Runs a task's prompt through a backend, in the task's own conversation (`task:<id>`): the
 * output streams as it grows, and the job's summary is the reply's first line of prose.
 */
export function backendTaskExecutor(backend: AgentBackend): TaskExecutor {
  return async (task, run) => {
    let final: AgentResult | undefined;
    for await (const ev of backend.answer({
      conversation: `task:${task.id}`,
      agentId: task.agentId,
      text: task.prompt,
      signal: run.signal,
      ...(task.model === undefined ? {} : { model: task.model }),
    })) {
      if (ev.type === "text") run.onOutput(ev.text);
      else if (ev.type === "final") final = ev.result;
    }
    if (final === undefined) throw new Error("The agent ended without a reply.");
    return { output: final.text, summary: summaryOf(final.text), model: final.model };
  };
}

/** The first line with words in it, without markdown marks, at most 120 characters. */
export function summaryOf(text: string): string {
  const line =
    text
      .split("\n")
      .map((l) =>
        l
          .replace(/^[#>*\-\d.\s|`]+/, "")
          .replace(/[*_`]/g, "")
          .trim(),
      )
      .find((l) => l.length > 0) ?? "";
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
