import type { ActionBlockInput } from "@botschat/model/actions";
import { createSignal, createUniqueId, For, type JSX, Show } from "solid-js";
import { type Choose, type Chosen, createAnswer } from "./actionChoice.js";

type Radio = Extract<ActionBlockInput, { kind: "radio" }>;

/**
 * A radio group: one option among several, each with its label and an optional line about it,
 * sent with a button. Arrow keys move between options, Tab reaches the button. Once answered
 * (here or on another device) the group is disabled with the chosen option checked and marked.
 */
export function RadioBlock(props: { block: Radio; chosen: Chosen | undefined; onChoose: Choose }): JSX.Element {
  const id = createUniqueId();
  const [picked, setPicked] = createSignal<string>();
  const { busy, done, send } = createAnswer(props);
  const current = (): string | undefined => props.chosen?.value ?? picked();
  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const value = picked();
    if (value !== undefined) await send(value);
  };
  return (
    <form class="action-form" classList={{ answered: done() }} onSubmit={(e) => void submit(e)}>
      <fieldset class="action-fieldset" role="radiogroup" aria-labelledby={`${id}-legend`} disabled={done() || busy()}>
        <legend class="prompt" id={`${id}-legend`}>
          {props.block.prompt ?? "Choose one"}
        </legend>
        <div class="radio-options">
          <For each={props.block.options}>
            {(o, i) => (
              <label class="radio-option" classList={{ chosen: props.chosen?.value === o.value }}>
                <input
                  type="radio"
                  name={id}
                  value={o.value}
                  checked={current() === o.value}
                  aria-labelledby={`${id}-${i()}`}
                  aria-describedby={o.description === undefined ? undefined : `${id}-${i()}-about`}
                  onChange={() => setPicked(o.value)}
                />
                <span class="option-text">
                  <span class="option-label" id={`${id}-${i()}`}>
                    {o.label}
                  </span>
                  <Show when={o.description}>
                    <span class="option-about" id={`${id}-${i()}-about`}>
                      {o.description}
                    </span>
                  </Show>
                </span>
                <Show when={props.chosen?.value === o.value}>
                  <span class="chosen-mark" aria-hidden="true">
                    ✓ Chosen
                  </span>
                </Show>
              </label>
            )}
          </For>
        </div>
      </fieldset>
      <Show
        when={!done()}
        fallback={
          <div class="chosen" role="status">
            Chosen: <strong>{props.chosen?.label}</strong>
          </div>
        }
      >
        <div class="action-row">
          <button type="submit" class="btn small primary" disabled={picked() === undefined || busy()}>
            {props.block.submitLabel ?? "Choose"}
          </button>
        </div>
      </Show>
    </form>
  );
}
