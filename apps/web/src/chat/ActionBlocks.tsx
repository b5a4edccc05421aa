import type { ActionBlock, MessageView } from "@botschat/model";
import { createSignal, For, type JSX, Match, Show, Switch } from "solid-js";

type Block = MessageView["actions"] extends (infer B)[] | undefined ? B : never;
type Choose = (block: string, value: string, label?: string) => void;

/**
 * The interactive blocks of an agent message (buttons, confirm, select, input). The first choice
 * wins and is shown instead of the controls; choosing calls the choose-action op.
 */
export function ActionBlocks(props: { message: MessageView; onChoose: Choose }): JSX.Element {
  return (
    <div class="actions">
      <For each={props.message.actions ?? []}>
        {(block) => (
          <div class="action-block" role="group" aria-label={block.prompt ?? "Actions"}>
            <Show when={block.prompt}>
              <div class="prompt">{block.prompt}</div>
            </Show>
            <Show
              when={props.message.chosen === undefined}
              fallback={
                <div class="chosen">
                  <Show when={props.message.chosen?.block === block.id} fallback="Answered.">
                    Chosen: <strong>{props.message.chosen?.label}</strong>
                  </Show>
                </div>
              }
            >
              <BlockControls block={block} onChoose={props.onChoose} />
            </Show>
          </div>
        )}
      </For>
    </div>
  );
}

function BlockControls(props: { block: Block; onChoose: Choose }): JSX.Element {
  const [value, setValue] = createSignal("");
  const b = (): Block & Partial<Record<string, unknown>> => props.block as Block & Partial<Record<string, unknown>>;
  const options = (): { value: string; label: string; style?: string }[] =>
    (b() as { options?: { value: string; label: string; style?: string }[] }).options ?? [];
  return (
    <Switch>
      <Match when={props.block.kind === "buttons"}>
        <div class="action-row">
          <For each={options()}>
            {(o) => (
              <button
                type="button"
                class="btn small"
                classList={{ primary: o.style === "primary", danger: o.style === "danger" }}
                onClick={() => props.onChoose(props.block.id, o.value, o.label)}
              >
                {o.label}
              </button>
            )}
          </For>
        </div>
      </Match>
      <Match when={props.block.kind === "confirm"}>
        {(() => {
          const c = props.block as Extract<Block, { kind: "confirm" }> & { confirmLabel?: string; cancelLabel?: string };
          const yes = c.confirmLabel ?? "Confirm";
          const no = c.cancelLabel ?? "Cancel";
          return (
            <div class="action-row">
              <button type="button" class="btn small primary" onClick={() => props.onChoose(c.id, "confirm", yes)}>
                {yes}
              </button>
              <button type="button" class="btn small" onClick={() => props.onChoose(c.id, "cancel", no)}>
                {no}
              </button>
            </div>
          );
        })()}
      </Match>
      <Match when={props.block.kind === "select"}>
        <div class="action-row">
          <select
            class="input"
            aria-label={(b()["prompt"] as string | undefined) ?? "Choose an option"}
            value={value()}
            onChange={(e) => setValue(e.currentTarget.value)}
          >
            <option value="" disabled>
              {(b()["placeholder"] as string | undefined) ?? "Choose…"}
            </option>
            <For each={options()}>{(o) => <option value={o.value}>{o.label}</option>}</For>
          </select>
          <button
            type="button"
            class="btn small primary"
            disabled={value() === ""}
            onClick={() => props.onChoose(props.block.id, value(), options().find((o) => o.value === value())?.label)}
          >
            Choose
          </button>
        </div>
      </Match>
      <Match when={props.block.kind === "input"}>
        <form
          class="action-row"
          onSubmit={(e) => {
            e.preventDefault();
            if (value().trim()) props.onChoose(props.block.id, value().trim());
          }}
        >
          <input
            class="input"
            aria-label={(b()["prompt"] as string | undefined) ?? "Answer"}
            placeholder={(b()["placeholder"] as string | undefined) ?? ""}
            value={value()}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
          <button type="submit" class="btn small primary" disabled={value().trim() === ""}>
            {(b()["submitLabel"] as string | undefined) ?? "Submit"}
          </button>
        </form>
      </Match>
    </Switch>
  );
}

export type { ActionBlock };
