import type { ChannelView, GatewayView, GuideAgent, GuideView } from "@botschat/model";
import type { PeerInfo } from "@botschat/protocol";
import { createEffect, createSignal, For, type JSX, Match, Show, Switch } from "solid-js";
import { relayApi } from "../api/relayApi.js";
import type { OpResult, WorkspaceApi } from "../shared/WorkspaceApi.js";
import { ErrorNote } from "../ui/ErrorNote.js";
import { connectLines } from "../layout/connectLines.js";
import { agentOfOption, type AgentOption, agentOptions } from "../layout/agentOptions.js";
import { CopyCommand } from "../layout/dialogs.js";
import { GUIDE_STEPS, type GuideStep, guideProgress } from "./guideProgress.js";

/** What the guide offers to write first. */
export const FIRST_MESSAGE = "Hello! What can you do?";

const TITLES: Record<GuideStep, string> = {
  passphrase: "Set your passphrase",
  agent: "Connect an agent",
  channel: "Create your first channel",
  hello: "Say hello",
};

const AGENTS: { value: GuideAgent; label: string; hint: string; name: string }[] = [
  { value: "demo", label: "Demo agent", hint: "Runs from a BotsChat checkout: the quickest way to try it.", name: "Demo agent" },
  { value: "openclaw", label: "OpenClaw gateway", hint: "Your own agents, on the machine that runs OpenClaw.", name: "My gateway" },
];

/**
 * The first-run guide: the passphrase (set already: what it is, why nobody can reset it),
 * connecting an agent with the exact lines and seeing it connect live, the first channel, and a
 * first message. It keeps its progress in the workspace, so a reload or another device resumes it
 * where it was, and it makes one pairing token ever, however often it is shown.
 */
export function Guide(props: {
  /** The account's session token (the relay's pairing-token calls). */
  accountToken: string;
  guide: GuideView | undefined;
  gateways: GatewayView[];
  peers: PeerInfo[];
  channels: ChannelView[];
  api: Pick<WorkspaceApi, "updateGuide">;
  onCreateChannel: (name: string, gateway: string, agentId: string) => Promise<string | undefined>;
  /** Sends the first message in the channel shown, then shows its chat. */
  onSayHello: (text: string) => Promise<string | undefined>;
  /** The channel the first message goes to. */
  helloChannel: ChannelView | undefined;
  agentName: string;
  onPairing: () => void;
  onLeave: () => void;
}): JSX.Element {
  const progress = (): ReturnType<typeof guideProgress> =>
    guideProgress({ guide: props.guide, gateways: props.gateways, peers: props.peers, channels: props.channels });
  const state = (s: GuideStep): "done" | "current" | "upcoming" => (progress().done.has(s) ? "done" : progress().current === s ? "current" : "upcoming");
  const [error, setError] = createSignal<string>();
  const failed = (r: OpResult<unknown>): boolean => {
    if (!r.ok) setError(r.message);
    return !r.ok;
  };

  // Once its gateway connected, the token's secret is not kept any longer than needed.
  createEffect(() => {
    if (progress().connected && props.guide?.token?.secret !== undefined) void props.api.updateGuide({ forgetSecret: true });
  });

  return (
    <section class="guide" aria-labelledby="guide-title">
      <h2 id="guide-title">Welcome to BotsChat</h2>
      <p class="lead">Four steps to a first reply. Leave whenever you like: “Getting started” in the sidebar brings you back to where you were.</p>
      <ErrorNote message={error()} />
      <ol class="guide-steps">
        <For each={GUIDE_STEPS}>
          {(step, i) => (
            <li class={`guide-step ${state(step)}`} aria-current={state(step) === "current" ? "step" : undefined} aria-labelledby={`guide-${step}`}>
              <span class="guide-mark" aria-hidden="true">
                {state(step) === "done" ? "✓" : i() + 1}
              </span>
              <div class="guide-body">
                <h3 id={`guide-${step}`}>
                  {TITLES[step]}
                  <Show when={state(step) === "done"}>
                    <span class="sr-only"> (done)</span>
                  </Show>
                </h3>
                <Switch>
                  <Match when={step === "passphrase"}>
                    <p class="hint">
                      Your passphrase encrypts everything before it leaves this device; the server never sees it. Nobody can reset it: if it is lost, your
                      history is lost with it. Keep it in a password manager. Every device and agent you connect asks for it.
                    </p>
                  </Match>
                  <Match when={step === "agent"}>
                    <AgentStep {...props} connected={progress().connected} current={state("agent") === "current"} onError={setError} failed={failed} />
                  </Match>
                  <Match when={step === "channel" && state("channel") === "current"}>
                    <ChannelStep gateways={props.gateways} guide={props.guide} onCreate={props.onCreateChannel} />
                  </Match>
                  <Match when={step === "channel" && state("channel") === "done" && props.helloChannel}>
                    {(c) => <p class="hint">#{c().name} is ready.</p>}
                  </Match>
                  <Match when={step === "hello" && state("hello") === "current"}>
                    <HelloStep channel={props.helloChannel} agentName={props.agentName} onSend={props.onSayHello} />
                  </Match>
                </Switch>
              </div>
            </li>
          )}
        </For>
      </ol>
      <div class="guide-foot">
        <button type="button" class="btn" onClick={() => props.onLeave()}>
          Skip for now
        </button>
        <button type="button" class="link-btn" onClick={() => void props.api.updateGuide({ finished: true }).then(failed)}>
          Don't show this again
        </button>
      </div>
    </section>
  );
}

/** Step 2: one pairing token, the lines that use it, and the gateway seen connecting. */
function AgentStep(props: {
  accountToken: string;
  guide: GuideView | undefined;
  gateways: GatewayView[];
  api: Pick<WorkspaceApi, "updateGuide">;
  connected: boolean;
  current: boolean;
  onPairing: () => void;
  onError: (message: string | undefined) => void;
  failed: (r: OpResult<unknown>) => boolean;
}): JSX.Element {
  const [chosen, setAgent] = createSignal<GuideAgent>();
  // The choice made here, else the one remembered with the token (a return, another device).
  const agent = (): GuideAgent => chosen() ?? props.guide?.agent ?? "demo";
  const [name, setName] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const token = (): GuideView["token"] => props.guide?.token;
  const shownName = (): string => name() ?? AGENTS.find((a) => a.value === agent())!.name;
  const choose = (a: GuideAgent): void => {
    setAgent(a);
    // Remembered with the token, so that a return shows the same lines.
    if (token() !== undefined) void props.api.updateGuide({ agent: a }).then(props.failed);
  };
  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    // One token ever: a token recorded meanwhile (another device, a second click) is the one.
    if (busy() || token() !== undefined) return;
    props.onError(undefined);
    setBusy(true);
    try {
      const label = shownName().trim() || AGENTS[0]!.name;
      const made = await relayApi.createPairingToken(props.accountToken, label);
      if (!made.ok) return props.onError(made.message);
      const kept = await props.api.updateGuide({ token: { id: made.value.id, secret: made.value.token, name: made.value.label }, agent: agent() });
      // Not kept (the guide had one already): this one would only lie around unused.
      if (!kept.ok || !kept.value.recorded) void relayApi.deletePairingToken(props.accountToken, made.value.id);
      props.failed(kept);
    } finally {
      setBusy(false);
    }
  };
  const gatewayName = (): string => token()?.name ?? props.gateways.find((g) => g.retired === undefined)?.name ?? "Your agent";
  return (
    <Switch>
      <Match when={!props.current}>
        <Show when={props.connected || props.gateways.length > 0}>
          <p class="hint">“{gatewayName()}” is connected.</p>
        </Show>
      </Match>
      <Match when={token() === undefined}>
        <form class="guide-form" onSubmit={(e) => void create(e)}>
          <p>An agent answers in your channels. Try the demo agent first, or connect your own OpenClaw gateway; you can add more later.</p>
          <AgentChoice value={agent()} onChoose={choose} />
          <label class="field">
            <span>Gateway name</span>
            <input class="input" maxLength={64} value={shownName()} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <button type="submit" class="btn primary" disabled={busy()} aria-busy={busy()}>
            Create pairing token
          </button>
          <p class="hint">A pairing token lets that gateway join your workspace. This guide makes one and keeps it here until the gateway has connected.</p>
        </form>
      </Match>
      <Match when={token()?.secret === undefined && token()}>
        {(t) => (
          <>
            <p>“{t().name}” connected with the guide's pairing token before, and is not connected now. Start it again, or make another token.</p>
            <button type="button" class="btn" onClick={() => props.onPairing()}>
              Pairing tokens
            </button>
          </>
        )}
      </Match>
      <Match when={token()}>
        {(t) => {
          const lines = (): ReturnType<typeof connectLines> => connectLines({ relayUrl: location.origin, pairingToken: t().secret ?? "", name: t().name });
          return (
            <div class="guide-lines">
              <AgentChoice value={agent()} onChoose={choose} />
              <p class="hint">The pairing token for “{t().name}”, kept here until it has connected:</p>
              <CopyCommand label="pairing token" text={t().secret ?? ""} />
              <Show
                when={agent() === "demo"}
                fallback={
                  <>
                    <p class="hint">
                      On the machine running OpenClaw, in the folder holding <code>botschat-openclaw/</code> (built with{" "}
                      <code>pnpm --filter @botschat/botschat build:openclaw</code>), paste these lines. The third asks for your passphrase without showing it.
                    </p>
                    <CopyCommand label="OpenClaw setup lines" text={lines().openclaw.join("\n")} />
                  </>
                }
              >
                <p class="hint">
                  In a BotsChat checkout, run this. It asks for the pairing token above and your passphrase, and keeps the token for later starts.
                </p>
                <CopyCommand label="demo agent command" text={lines().demo} />
              </Show>
              <p class="guide-wait" role="status">
                <span class="spinner" aria-hidden="true" />
                Waiting for “{t().name}” to connect…
              </p>
            </div>
          );
        }}
      </Match>
    </Switch>
  );
}

/** Demo agent or OpenClaw: which lines the guide shows. */
function AgentChoice(props: { value: GuideAgent; onChoose: (a: GuideAgent) => void }): JSX.Element {
  return (
    <fieldset class="choice-group">
      <legend>Connect</legend>
      <For each={AGENTS}>
        {(a) => (
          <label class="choice" title={a.hint}>
            <input type="radio" name="guide-agent" value={a.value} checked={props.value === a.value} onChange={() => props.onChoose(a.value)} />
            {a.label}
          </label>
        )}
      </For>
    </fieldset>
  );
}

/** Step 3: a channel with the agent that connected. */
function ChannelStep(props: {
  gateways: GatewayView[];
  guide: GuideView | undefined;
  onCreate: (name: string, gateway: string, agentId: string) => Promise<string | undefined>;
}): JSX.Element {
  // The guide's own gateway first.
  const agents = (): AgentOption[] => agentOptions(props.gateways, (g) => g.token === props.guide?.token?.id);
  const [name, setName] = createSignal("general");
  const [agent, setAgent] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const chosen = agentOfOption(agent() ?? agents()[0]?.value ?? "");
    if (busy() || !name().trim() || chosen === undefined) return;
    setBusy(true);
    setError(await props.onCreate(name().trim(), chosen.gateway, chosen.agentId));
    setBusy(false);
  };
  return (
    <form class="guide-form" onSubmit={(e) => void submit(e)}>
      <p>Each channel talks to one agent; its sessions keep separate conversations.</p>
      <label class="field">
        <span>Channel name</span>
        <input class="input" required maxLength={80} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <Show when={agents().length > 1}>
        <label class="field">
          <span>Agent</span>
          <select class="input" value={agent() ?? agents()[0]?.value ?? ""} onChange={(e) => setAgent(e.currentTarget.value)}>
            <For each={agents()}>{(a) => <option value={a.value}>{a.label}</option>}</For>
          </select>
        </label>
      </Show>
      <ErrorNote message={error()} />
      <button type="submit" class="btn primary" disabled={busy() || !name().trim() || agents().length === 0} aria-busy={busy()}>
        Create channel
      </button>
      <Show when={agents().length === 0}>
        <p class="hint" role="status">
          Waiting for the agent to say which agents it offers…
        </p>
      </Show>
    </form>
  );
}

/** Step 4: the first message, sent in the new channel's first session. */
function HelloStep(props: { channel: ChannelView | undefined; agentName: string; onSend: (text: string) => Promise<string | undefined> }): JSX.Element {
  const [text, setText] = createSignal(FIRST_MESSAGE);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (busy() || !text().trim()) return;
    setBusy(true);
    setError(await props.onSend(text().trim()));
    setBusy(false);
  };
  return (
    <form class="guide-form" onSubmit={(e) => void submit(e)}>
      <p>
        Send {props.agentName} a first message{props.channel ? ` in #${props.channel.name}` : ""}; its reply streams in as it is written.
      </p>
      <label class="field">
        <span>First message</span>
        <textarea class="input" rows={2} required value={text()} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <ErrorNote message={error()} />
      <button type="submit" class="btn primary" disabled={busy() || !text().trim()} aria-busy={busy()}>
        Send
      </button>
    </form>
  );
}
