import { For, type JSX, Show } from "solid-js";
import type { StreamView } from "../shared/views.js";
import { createMediaQuery } from "../ui/createMediaQuery.js";
import { Markdown } from "./Markdown.js";
import { createRevealedText } from "./revealText.js";
import { initials } from "./MessageRow.js";

/** An agent's reply while it is being written: live text with a cursor, reasoning and tools collapsed, "Stop". */
export function StreamingRow(props: { stream: StreamView; name: string; onStop: () => void }): JSX.Element {
  // The agent sends what is new a few times a second: shown a few words at a time, it reads as written.
  const reducedMotion = createMediaQuery("(prefers-reduced-motion: reduce)");
  const text = createRevealedText(
    () => props.stream.text,
    () => props.stream.done || reducedMotion(),
  );
  const runningTools = (): number => props.stream.tools.filter((t) => t.phase !== "end" && t.phase !== "done" && t.phase !== "result").length;
  return (
    <article class="msg first" aria-label={`${props.name} is replying`} aria-busy={!props.stream.done}>
      <div class="avatar agent" aria-hidden="true">
        {initials(props.name)}
      </div>
      <div>
        <div class="msg-head">
          <span class="name">{props.name}</span>
          <span class="msg-status">{props.stream.done ? (props.stream.error ? "Stopped" : "Finishing…") : "Writing…"}</span>
        </div>
        <Show when={props.stream.reasoning}>
          <details class="activity">
            <summary>Reasoning</summary>
            <div class="activity-body">{props.stream.reasoning}</div>
          </details>
        </Show>
        <Show when={props.stream.tools.length > 0}>
          <details class="activity" open={runningTools() > 0}>
            <summary>
              {runningTools() > 0
                ? `Using ${props.stream.tools.at(-1)?.name ?? "a tool"}…`
                : `Used ${props.stream.tools.length} tool${props.stream.tools.length === 1 ? "" : "s"}`}
            </summary>
            <div class="activity-body">
              <For each={props.stream.tools}>
                {(t) => (
                  <div class="tool-line">
                    <b>{t.name}</b> {t.phase} {t.summary}
                  </div>
                )}
              </For>
            </div>
          </details>
        </Show>
        <Show when={text()} fallback={<div class="md cursor" />}>
          <Markdown text={text()} streaming={!props.stream.done} />
        </Show>
        <Show when={props.stream.error}>
          <div class="msg-status error">{props.stream.error}</div>
        </Show>
        <Show when={!props.stream.done}>
          <button type="button" class="btn small stop-btn" onClick={() => props.onStop()}>
            Stop
          </button>
        </Show>
      </div>
    </article>
  );
}
