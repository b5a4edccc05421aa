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
    keepInView(el);
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

/**
 * Opens the menu upwards when it would run past the bottom of the scrolling list it is in (or of
 * the window) and there is room above; a menu placed at the pointer moves up by what is missing.
 */
function keepInView(el: HTMLElement): void {
  const box = el.getBoundingClientRect();
  let bottom = window.innerHeight;
  let top = 0;
  for (let p = el.parentElement; p !== null; p = p.parentElement) {
    const overflow = getComputedStyle(p).overflowY;
    if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") {
      const clip = p.getBoundingClientRect();
      bottom = Math.min(bottom, clip.bottom);
      top = Math.max(top, clip.top);
      break;
    }
  }
  if (box.bottom <= bottom) return;
  if (el.style.position === "fixed") {
    el.style.top = `${Math.max(0, bottom - box.height - 8)}px`;
  } else if (box.top - box.height - (el.offsetParent?.getBoundingClientRect().height ?? 0) >= top) {
    el.style.top = "auto";
    el.style.bottom = "100%";
  }
}
