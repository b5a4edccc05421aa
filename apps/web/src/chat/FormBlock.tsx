import { ACTION_LIMITS, type ActionBlockInput, chosenForm, formAnswer } from "@botschat/model/actions";
import { createSignal, createUniqueId, For, type JSX, Match, Show, Switch } from "solid-js";
import { type Choose, type Chosen, createAnswer } from "./actionChoice.js";

type Form = Extract<ActionBlockInput, { kind: "form" }>;
type Field = Form["fields"][number];

/**
 * A form of several fields — text, number, select, checkbox — sent together as one answer.
 * Each field has a label; a field the person got wrong says why next to it (and the first one
 * takes the focus). Once answered, the fields show what was sent, disabled.
 */
export function FormBlock(props: { block: Form; chosen: Chosen | undefined; onChoose: Choose }): JSX.Element {
  const id = createUniqueId();
  const [entered, setEntered] = createSignal<ReadonlyMap<string, string | boolean>>(new Map());
  const [problems, setProblems] = createSignal<Record<string, string>>({});
  const { busy, done, send } = createAnswer(props);
  const sent = (): ReadonlyMap<string, string | boolean> =>
    new Map(Object.entries(chosenForm(props.chosen?.value ?? "{}")).map(([k, v]) => [k, typeof v === "number" ? String(v) : v]));
  const valueOf = (name: string): string | boolean | undefined => (done() ? sent() : entered()).get(name);
  const submit = async (e: SubmitEvent & { currentTarget: HTMLFormElement }): Promise<void> => {
    e.preventDefault();
    if (done() || busy()) return;
    const checked = formAnswer(props.block, Object.fromEntries(entered()));
    if (!checked.ok) {
      setProblems(checked.problems);
      const first = props.block.fields.find((f) => checked.problems[f.name] !== undefined);
      if (first !== undefined) (e.currentTarget.elements.namedItem(first.name) as HTMLElement | null)?.focus();
      return;
    }
    setProblems({});
    await send(checked.value);
  };
  return (
    <form class="action-form" classList={{ answered: done() }} noValidate onSubmit={(e) => void submit(e)}>
      <fieldset class="action-fieldset" aria-labelledby={`${id}-legend`} disabled={done() || busy()}>
        <legend class="prompt" id={`${id}-legend`}>
          {props.block.prompt ?? "Form"}
        </legend>
        <div class="form-fields">
          <For each={props.block.fields}>
            {(f) => (
              <FieldRow
                field={f}
                id={`${id}-${f.name}`}
                value={valueOf(f.name)}
                problem={problems()[f.name]}
                onChange={(v) => {
                  setEntered((m) => new Map(m).set(f.name, v));
                  if (problems()[f.name] !== undefined) setProblems((p) => Object.fromEntries(Object.entries(p).filter(([k]) => k !== f.name)));
                }}
              />
            )}
          </For>
        </div>
      </fieldset>
      <Show
        when={!done()}
        fallback={
          <div class="chosen" role="status">
            ✓ Sent
          </div>
        }
      >
        <div class="action-row">
          <button type="submit" class="btn small primary" disabled={busy()}>
            {props.block.submitLabel ?? "Send"}
          </button>
        </div>
      </Show>
    </form>
  );
}

/** One field with its label, and what is wrong with it when something is. */
function FieldRow(props: {
  field: Field;
  id: string;
  value: string | boolean | undefined;
  problem: string | undefined;
  onChange: (v: string | boolean) => void;
}): JSX.Element {
  const f = (): Field => props.field;
  const text = (): string => (typeof props.value === "string" ? props.value : "");
  const invalid = (): true | undefined => (props.problem === undefined ? undefined : true);
  const problemId = (): string | undefined => (props.problem === undefined ? undefined : `${props.id}-problem`);
  const label = (
    <label for={props.id}>
      {f().label}
      <Show when={f().required}>
        <span class="required" aria-hidden="true">
          {" *"}
        </span>
      </Show>
    </label>
  );
  return (
    <div class="form-field" classList={{ "form-check": f().type === "checkbox" }}>
      <Switch>
        <Match when={f().type === "checkbox"}>
          <input
            type="checkbox"
            id={props.id}
            name={f().name}
            required={f().required === true}
            aria-invalid={invalid()}
            aria-describedby={problemId()}
            checked={props.value === true}
            onChange={(e) => props.onChange(e.currentTarget.checked)}
          />
          {label}
        </Match>
        <Match when={f().type === "select" && (f() as Extract<Field, { type: "select" }>)}>
          {(s) => (
            <>
              {label}
              <select
                class="input"
                id={props.id}
                name={f().name}
                required={f().required === true}
                aria-invalid={invalid()}
                aria-describedby={problemId()}
                onChange={(e) => props.onChange(e.currentTarget.value)}
              >
                <option value="" selected={text() === ""} disabled={s().required === true}>
                  Choose…
                </option>
                <For each={s().options}>
                  {(o) => (
                    <option value={o.value} selected={text() === o.value}>
                      {o.label}
                    </option>
                  )}
                </For>
              </select>
            </>
          )}
        </Match>
        <Match when={f().type === "number" && (f() as Extract<Field, { type: "number" }>)}>
          {(n) => (
            <>
              {label}
              <input
                class="input"
                type="number"
                inputMode="decimal"
                id={props.id}
                name={f().name}
                required={f().required === true}
                aria-invalid={invalid()}
                aria-describedby={problemId()}
                min={n().min}
                max={n().max}
                step={n().step ?? "any"}
                value={text()}
                onInput={(e) => props.onChange(e.currentTarget.value)}
              />
            </>
          )}
        </Match>
        <Match when={f().type === "text" && (f() as Extract<Field, { type: "text" }>)}>
          {(t) => (
            <>
              {label}
              <input
                class="input"
                type="text"
                id={props.id}
                name={f().name}
                required={f().required === true}
                aria-invalid={invalid()}
                aria-describedby={problemId()}
                maxLength={t().maxLength ?? ACTION_LIMITS.textChars}
                placeholder={t().placeholder ?? ""}
                value={text()}
                onInput={(e) => props.onChange(e.currentTarget.value)}
              />
            </>
          )}
        </Match>
      </Switch>
      <Show when={props.problem}>
        <span class="field-problem" id={`${props.id}-problem`}>
          {props.problem}
        </span>
      </Show>
    </div>
  );
}
