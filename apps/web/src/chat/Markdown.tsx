import remend from "remend";
import { createMemo, type JSX } from "solid-js";
import { renderMarkdown } from "./renderMarkdown.js";

/**
 * A message body as sanitised markdown; "Copy code" buttons copy their block. While it streams,
 * markers the text has opened but not yet closed (`**bo`, `_it`, `` `co ``, a link's half-written
 * address) are closed for display, so no raw `*` or `_` flickers through and a half link shows
 * as its text.
 */
export function Markdown(props: { text: string; streaming?: boolean }): JSX.Element {
  const html = createMemo(() => renderMarkdown(props.streaming === true ? remend(props.text, { linkMode: "text-only" }) : props.text));
  const onClick = (e: MouseEvent): void => {
    const btn = (e.target as HTMLElement).closest<HTMLButtonElement>("button.copy-code");
    if (btn === null) return;
    const code = btn.closest(".code-block")?.querySelector("code")?.textContent ?? "";
    void navigator.clipboard?.writeText(code).then(() => {
      btn.textContent = "Copied";
      setTimeout(() => (btn.textContent = "Copy"), 1500);
    });
  };
  return <div class="md" classList={{ cursor: props.streaming === true }} innerHTML={html()} onClick={onClick} />;
}
