import { createMemo, type JSX } from "solid-js";
import { renderMarkdown } from "./renderMarkdown.js";

/** A message body as sanitised markdown; "Copy code" buttons copy their block. */
export function Markdown(props: { text: string; streaming?: boolean }): JSX.Element {
  const html = createMemo(() => renderMarkdown(props.text));
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
