import { type ActionBlockInput, cardsValue, chosenCards } from "@botschat/model/actions";
import { createSignal, createUniqueId, For, type JSX, Show } from "solid-js";
import { type Choose, type Chosen, createAnswer } from "./actionChoice.js";

type Cards = Extract<ActionBlockInput, { kind: "cards" }>;
type Card = Cards["cards"][number];

/**
 * Selection cards: a title, a line about each and an optional picture. One card is chosen with a
 * click (each card is a button), or with `multiple` several are ticked (each a checkbox) and sent
 * with a button. Once answered the cards are disabled, the chosen ones marked.
 */
export function CardsBlock(props: { block: Cards; chosen: Chosen | undefined; onChoose: Choose }): JSX.Element {
  const id = createUniqueId();
  const [ticked, setTicked] = createSignal<readonly string[]>([]);
  const { busy, done, send } = createAnswer(props);
  const chosen = (): readonly string[] => (props.chosen === undefined ? [] : chosenCards(props.block, props.chosen.value));
  const toggle = (value: string, on: boolean): void => {
    setTicked((t) => (on ? [...t, value] : t.filter((v) => v !== value)));
  };
  const ids = (i: number): { title: string; about: string; image: string } => ({ title: `${id}-${i}`, about: `${id}-${i}-about`, image: `${id}-${i}-image` });
  const described = (c: Card, i: number): string | undefined =>
    [c.description === undefined ? "" : ids(i).about, c.image === undefined ? "" : ids(i).image].filter((s) => s !== "").join(" ") || undefined;
  return (
    <form
      class="action-form"
      classList={{ answered: done() }}
      onSubmit={(e) => {
        e.preventDefault();
        if (ticked().length > 0) void send(cardsValue(props.block, ticked()));
      }}
    >
      <fieldset class="action-fieldset" aria-labelledby={`${id}-legend`} disabled={done() || busy()}>
        <legend class="prompt" id={`${id}-legend`}>
          {props.block.prompt ?? (props.block.multiple === true ? "Choose any" : "Choose one")}
        </legend>
        <div class="card-grid">
          <For each={props.block.cards}>
            {(c, i) => {
              const isChosen = (): boolean => chosen().includes(c.value);
              const face = (
                <>
                  <Show when={c.image}>{(src) => <CardImage src={src()} alt={c.imageAlt ?? ""} id={ids(i()).image} />}</Show>
                  <span class="card-text">
                    <span class="card-title" id={ids(i()).title}>
                      {c.title}
                    </span>
                    <Show when={c.description}>
                      <span class="card-about" id={ids(i()).about}>
                        {c.description}
                      </span>
                    </Show>
                  </span>
                  <Show when={isChosen()}>
                    <span class="chosen-mark" aria-hidden="true">
                      ✓ Chosen
                    </span>
                  </Show>
                </>
              );
              return (
                <Show
                  when={props.block.multiple === true}
                  fallback={
                    <button
                      type="button"
                      class="card"
                      classList={{ chosen: isChosen() }}
                      aria-labelledby={ids(i()).title}
                      aria-describedby={described(c, i())}
                      aria-pressed={done() ? isChosen() : undefined}
                      onClick={() => void send(c.value)}
                    >
                      {face}
                    </button>
                  }
                >
                  <label class="card" classList={{ chosen: isChosen(), ticked: !done() && ticked().includes(c.value) }}>
                    <input
                      type="checkbox"
                      class="card-check"
                      value={c.value}
                      checked={done() ? isChosen() : ticked().includes(c.value)}
                      aria-labelledby={ids(i()).title}
                      aria-describedby={described(c, i())}
                      onChange={(e) => toggle(c.value, e.currentTarget.checked)}
                    />
                    {face}
                  </label>
                </Show>
              );
            }}
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
        <Show when={props.block.multiple === true}>
          <div class="action-row">
            <button type="submit" class="btn small primary" disabled={ticked().length === 0 || busy()}>
              {props.block.submitLabel ?? "Choose"}
            </button>
          </div>
        </Show>
      </Show>
    </form>
  );
}

/**
 * A card's picture: an `https:` or `data:image/` URL only (checked by the model), loaded lazily
 * and without a referrer; hidden if it cannot load, so a blocked or broken image leaves no icon.
 */
function CardImage(props: { src: string; alt: string; id: string }): JSX.Element {
  const [failed, setFailed] = createSignal(false);
  return (
    <Show when={!failed()}>
      <img
        class="card-image"
        id={props.id}
        src={props.src}
        alt={props.alt}
        loading="lazy"
        decoding="async"
        referrerpolicy="no-referrer"
        onError={() => setFailed(true)}
      />
    </Show>
  );
}
