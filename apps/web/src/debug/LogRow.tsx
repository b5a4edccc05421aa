import { createUniqueId, type JSX, Show } from "solid-js";
import { groupText, type LogGroup } from "./groupLogLines.js";
import { timeWithMs } from "./logText.js";

/** How many lines an expanded group lists (the newest; a group is never larger than the bounded log). */
const DETAIL_LINES = 200;

/** One line of the Debug log (or a run of lines of the same shape, with their count); a press shows its details. */
export function LogRow(props: { group: LogGroup; open: boolean; onToggle: () => void }): JSX.Element {
  const id = createUniqueId();
  const count = (): number => props.group.lines.length;
  const listed = (): string =>
    props.group.lines
      .slice(-DETAIL_LINES)
      .map((l) => `${timeWithMs(l.ts)}  ${l.msg}`)
      .join("\n");
  return (
    <li class="debug-row" data-cat={props.group.first.cat}>
      <button type="button" class="debug-summary" aria-expanded={props.open} aria-controls={props.open ? id : undefined} onClick={() => props.onToggle()}>
        <span class="time">{timeWithMs(props.group.last.ts)}</span>
        <span class={`cat ${props.group.first.cat}`}>{props.group.first.cat}</span>
        <span class="line-text">{groupText(props.group)}</span>
        <Show when={count() > 1}>
          <span class="count" title={`${count()} lines`}>
            ×{count()}
          </span>
        </Show>
      </button>
      <Show when={props.open}>
        <div class="debug-details" id={id}>
          <dl>
            <dt>Category</dt>
            <dd>{props.group.first.cat}</dd>
            <dt>{count() > 1 ? "Times" : "Time"}</dt>
            <dd>
              {timeWithMs(props.group.first.ts)}
              {count() > 1 ? ` to ${timeWithMs(props.group.last.ts)} (${count()} lines)` : ""}
            </dd>
          </dl>
          <Show when={count() > DETAIL_LINES}>
            <p class="hint">The newest {DETAIL_LINES} of them:</p>
          </Show>
          <pre>{count() > 1 ? listed() : props.group.first.msg}</pre>
        </div>
      </Show>
    </li>
  );
}
