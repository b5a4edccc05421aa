import type { ActionBlock, MessageView } from "@botschat/model";
import { ACTION_LIMITS, type ActionBlockInput, actionBlockText, validActionBlock } from "@botschat/model/actions";
import { createMemo, createSignal, For, type JSX, Match, Show, Switch } from "solid-js";
import type { Choose, Chosen } from "./actionChoice.js";
import { CardsBlock } from "./CardsBlock.js";
import { FormBlock } from "./FormBlock.js";
import { RadioBlock } from "./RadioBlock.js";
import "./actionBlocks.css";

type Block = NonNullable<MessageView["actions"]>[number];
type Of<K extends ActionBlockInput["kind"]> = Extract<ActionBlockInput, { kind: K }>;

/**
 * The interactive blocks of an agent message: buttons, confirm, select, input, radio group,
 * selection cards and forms. Each block is checked as it is read (`validActionBlock`: a document
 * holds whatever a peer wrote); one that is not valid shows its words as plain text. The first
 * choice on the message wins: the chosen block shows what was chosen, the others "Answered.".
 * Everything the agent wrote is shown as text, never as HTML.
 */
export function ActionBlocks(props: { message: MessageView; onChoose: Choose }): JSX.Element {
  return (
    <div class="actions">
      <For each={props.message.actions ?? []}>{(block) => <OneBlock block={block} chosen={props.message.chosen} onChoose={props.onChoose} />}</For>
    </div>
  );
}

function OneBlock(props: { block: Block; chosen: MessageView["chosen"]; onChoose: Choose }): JSX.Element {
  // The same block read again after a sync keeps its identity, so a half-filled form stays filled.
  const valid = createMemo(() => validActionBlock(props.block), undefined, { equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) });
  const mine = (): Chosen | undefined => (props.chosen !== undefined && props.chosen.block === valid()?.id ? props.chosen : undefined);
  const other = (): boolean => props.chosen !== undefined && mine() === undefined;
  return (
    <Show when={valid()} fallback={<FallbackText block={props.block} />}>
      {(b) => (
        <Switch>
          <Match when={other()}>
            <div class="action-block" role="group" aria-label={b().prompt ?? "Actions"}>
              <Show when={b().prompt}>
                <div class="prompt">{b().prompt}</div>
              </Show>
              <div class="chosen">Answered.</div>
            </div>
          </Match>
          <Match when={b().kind === "radio" && (b() as Of<"radio">)}>
            {(r) => (
              <div class="action-block">
                <RadioBlock block={r()} chosen={mine()} onChoose={props.onChoose} />
              </div>
            )}
          </Match>
          <Match when={b().kind === "cards" && (b() as Of<"cards">)}>
            {(c) => (
              <div class="action-block">
                <CardsBlock block={c()} chosen={mine()} onChoose={props.onChoose} />
              </div>
            )}
          </Match>
          <Match when={b().kind === "form" && (b() as Of<"form">)}>
            {(f) => (
              <div class="action-block">
                <FormBlock block={f()} chosen={mine()} onChoose={props.onChoose} />
              </div>
            )}
          </Match>
          <Match when={true}>
            <div class="action-block" role="group" aria-label={b().prompt ?? "Actions"}>
              <Show when={b().prompt}>
                <div class="prompt">{b().prompt}</div>
              </Show>
              <Show
                when={mine() === undefined}
                fallback={
                  <div class="chosen">
                    Chosen: <strong>{mine()?.label}</strong>
                  </div>
                }
              >
                <SimpleControls block={b()} onChoose={props.onChoose} />
              </Show>
            </div>
          </Match>
        </Switch>
      )}
    </Show>
  );
}

/** A block that is not valid: its words, as plain text. */
function FallbackText(props: { block: Block }): JSX.Element {
  const text = (): string => actionBlockText(props.block);
  return (
    <Show when={text() !== ""}>
      <p class="action-fallback">{text()}</p>
    </Show>
  );
}

/** The controls of buttons, confirm, select and input blocks. */
function SimpleControls(props: { block: ActionBlockInput; onChoose: Choose }): JSX.Element {
  const [value, setValue] = createSignal("");
  return (
    <Switch>
      <Match when={props.block.kind === "buttons" && (props.block as Of<"buttons">)}>
        {(b) => (
          <div class="action-row">
            <For each={b().options}>
              {(o) => (
                <button
                  type="button"
                  class="btn small"
                  classList={{ primary: o.style === "primary", danger: o.style === "danger" }}
                  onClick={() => void props.onChoose(b().id, o.value, o.label)}
                >
                  {o.label}
                </button>
              )}
            </For>
          </div>
        )}
      </Match>
      <Match when={props.block.kind === "confirm" && (props.block as Of<"confirm">)}>
        {(c) => {
          const yes = (): string => c().confirmLabel ?? "Confirm";
          const no = (): string => c().cancelLabel ?? "Cancel";
          return (
            <div class="action-row">
              <button type="button" class="btn small primary" onClick={() => void props.onChoose(c().id, "confirm", yes())}>
                {yes()}
              </button>
              <button type="button" class="btn small" onClick={() => void props.onChoose(c().id, "cancel", no())}>
                {no()}
              </button>
            </div>
          );
        }}
      </Match>
      <Match when={props.block.kind === "select" && (props.block as Of<"select">)}>
        {(s) => (
          <div class="action-row">
            <select class="input" aria-label={s().prompt ?? "Choose an option"} value={value()} onChange={(e) => setValue(e.currentTarget.value)}>
              <option value="" disabled>
                {s().placeholder ?? "Choose…"}
              </option>
              <For each={s().options}>{(o) => <option value={o.value}>{o.label}</option>}</For>
            </select>
            <button
              type="button"
              class="btn small primary"
              disabled={value() === ""}
              onClick={() => void props.onChoose(s().id, value(), s().options.find((o) => o.value === value())?.label)}
            >
              Choose
            </button>
          </div>
        )}
      </Match>
      <Match when={props.block.kind === "input" && (props.block as Of<"input">)}>
        {(i) => (
          <form
            class="action-row"
            onSubmit={(e) => {
              e.preventDefault();
              if (value().trim()) void props.onChoose(i().id, value().trim());
            }}
          >
            <input
              class="input"
              aria-label={i().prompt ?? "Answer"}
              placeholder={i().placeholder ?? ""}
              maxLength={ACTION_LIMITS.textChars}
              value={value()}
              onInput={(e) => setValue(e.currentTarget.value)}
            />
            <button type="submit" class="btn small primary" disabled={value().trim() === ""}>
              {i().submitLabel ?? "Submit"}
            </button>
          </form>
        )}
      </Match>
    </Switch>
  );
}

export type { ActionBlock };
