import { For, type JSX, onCleanup, onMount, Show } from "solid-js";

/** One entry of a {@link Menu}. */
export interface MenuItem {
  label: string;
  /** The accessible name, when the visible label alone is not enough (e.g. a bare session title). */
  name?: string;
  danger?: boolean;
  /** A heading shown above this entry, after a separator (starts a group of entries). */
  heading?: string;
  run: () => void;
}

/** A small popup menu: arrow keys move, Escape or a click outside closes it. */
export function Menu(props: { label: string; items: MenuItem[]; onClose: () => void; style?: JSX.CSSProperties }): JSX.Element {
  let el!: HTMLDivElement;
  const buttons = (): HTMLButtonElement[] => [...el.querySelectorAll<HTMLButtonElement>("button")];
  const onDoc = (e: MouseEvent): void => {
    if (!el.contains(e.target as Node) && !(e.target as HTMLElement).closest?.("[aria-haspopup]")) props.onClose();
  };
  onMount(() => {
    buttons()[0]?.focus();
    document.addEventListener("mousedown", onDoc);
  });
  onCleanup(() => document.removeEventListener("mousedown", onDoc));
  const onKey = (e: KeyboardEvent): void => {
    const list = buttons();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === "Escape") {
      e.stopPropagation();
      props.onClose();
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      list[(at + 1) % list.length]?.focus();
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      list[(at - 1 + list.length) % list.length]?.focus();
    }
  };
  return (
    <div ref={(e) => (el = e)} class="menu" role="menu" aria-label={props.label} style={props.style} onKeyDown={onKey}>
      <For each={props.items}>
        {(item, i) => (
          <>
            <Show when={item.heading}>
              <Show when={i() > 0}>
                <div role="separator" class="menu-sep" />
              </Show>
              <div class="menu-heading" aria-hidden="true">
                {item.heading}
              </div>
            </Show>
            <button
              type="button"
              role="menuitem"
              aria-label={item.name}
              classList={{ danger: item.danger === true }}
              onClick={() => {
                props.onClose();
                item.run();
              }}
            >
              {item.label}
            </button>
          </>
        )}
      </For>
    </div>
  );
}
