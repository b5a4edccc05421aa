import type { GatewayId, GatewayView, ModelId } from "@botschat/model";
import { effectiveDefaultModel } from "@botschat/model/models";
import { For, type JSX, Show } from "solid-js";

/**
 * The default model of each gateway, for the whole workspace (every device reads the same
 * choice): what a session answers with until it picks its own in the model picker.
 */
export function ModelsSection(props: {
  gateways: GatewayView[];
  chosen: Partial<Record<GatewayId, ModelId>>;
  onChoose: (gateway: GatewayId, model: ModelId | null) => void;
}): JSX.Element {
  // A gateway whose pairing token was revoked answers nowhere new: not offered here either.
  const gateways = (): GatewayView[] => props.gateways.filter((g) => g.retired === undefined);
  return (
    <section class="settings-section" aria-labelledby="settings-models">
      <h3 id="settings-models">Models</h3>
      <p>
        The model each gateway answers with in sessions that have not picked their own (with the model picker above the chat). The choice is kept in the
        workspace, so all your devices share it.
      </p>
      <Show
        when={gateways().length > 0}
        fallback={<p class="hint">No agent is paired with this workspace: create a pairing token under Devices and agents.</p>}
      >
        <For each={gateways()}>{(g) => <GatewayModel gateway={g} chosen={props.chosen[g.id]} onChoose={(m) => props.onChoose(g.id, m)} />}</For>
      </Show>
    </section>
  );
}

function GatewayModel(props: { gateway: GatewayView; chosen: ModelId | undefined; onChoose: (model: ModelId | null) => void }): JSX.Element {
  const offered = (): boolean => props.chosen !== undefined && props.gateway.models.some((m) => m.id === props.chosen);
  const nameOf = (id: ModelId | undefined): string => props.gateway.models.find((m) => m.id === id)?.name ?? id ?? "";
  const own = (): string =>
    props.gateway.defaultModel === undefined ? "The gateway's default" : `The gateway's default (${nameOf(props.gateway.defaultModel)})`;
  return (
    <div class="field model-field">
      <span>{props.gateway.name}</span>
      <Show when={props.gateway.models.length > 0} fallback={<span class="hint">This gateway publishes no models to choose from.</span>}>
        <select
          class="input"
          aria-label={`Default model for ${props.gateway.name}`}
          value={offered() ? props.chosen : ""}
          onChange={(e) => props.onChoose(e.currentTarget.value === "" ? null : (e.currentTarget.value as ModelId))}
        >
          <option value="">{own()}</option>
          <For each={props.gateway.models}>{(m) => <option value={m.id}>{m.name ?? m.id}</option>}</For>
        </select>
        <Show when={props.chosen !== undefined && !offered()}>
          <span class="hint">
            {props.chosen} was chosen, but the gateway no longer offers it: sessions use{" "}
            {nameOf(effectiveDefaultModel(props.gateway, props.chosen)) || "its default"}.
          </span>
        </Show>
      </Show>
    </div>
  );
}
