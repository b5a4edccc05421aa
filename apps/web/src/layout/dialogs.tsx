import type { GatewayView } from "@botschat/model";
import { createResource, createSignal, For, type JSX, onCleanup, Show } from "solid-js";
import { relayApi } from "../api/relayApi.js";
import { Dialog } from "../ui/Dialog.js";
import { agentOfOption, type AgentOption, agentOptions } from "./agentOptions.js";
import { connectLines } from "./connectLines.js";
import { ErrorNote } from "../ui/ErrorNote.js";

/** "New channel": a name and the agent (of a published gateway) that answers in it. */
export function NewChannelDialog(props: {
  gateways: GatewayView[];
  onCreate: (name: string, gateway: string, agentId: string) => Promise<string | undefined>;
  onPairing: () => void;
  onClose: () => void;
}): JSX.Element {
  const agents = (): AgentOption[] => agentOptions(props.gateways);
  const [name, setName] = createSignal("");
  const [agent, setAgent] = createSignal(agents()[0]?.value ?? "");
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  return (
    <Dialog title="New channel" onClose={props.onClose}>
      <Show
        when={agents().length > 0}
        fallback={
          <>
            <p>
              No agent has joined this workspace yet. Create a pairing token and start an agent (the demo agent works too); it appears here once it connects.
            </p>
            <div class="dialog-actions">
              <button type="button" class="btn" onClick={() => props.onClose()}>
                Close
              </button>
              <button type="button" class="btn primary" onClick={() => props.onPairing()}>
                Create pairing token
              </button>
            </div>
          </>
        }
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const chosen = agentOfOption(agent() || agents()[0]?.value || "");
            if (!name().trim() || chosen === undefined) return;
            setBusy(true);
            void props.onCreate(name().trim(), chosen.gateway, chosen.agentId).then((err) => {
              setBusy(false);
              if (err) setError(err);
              else props.onClose();
            });
          }}
        >
          <p>Each channel talks to one agent. Sessions inside it keep separate conversations.</p>
          <label class="field">
            <span>Channel name</span>
            <input class="input" required maxLength={80} value={name()} onInput={(e) => setName(e.currentTarget.value)} data-autofocus />
          </label>
          <label class="field">
            <span>Agent</span>
            <select class="input" value={agent() || agents()[0]?.value || ""} onChange={(e) => setAgent(e.currentTarget.value)}>
              <For each={agents()}>{(a) => <option value={a.value}>{a.label}</option>}</For>
            </select>
          </label>
          <ErrorNote message={error()} />
          <div class="dialog-actions">
            <button type="button" class="btn" onClick={() => props.onClose()}>
              Cancel
            </button>
            <button type="submit" class="btn primary" disabled={busy() || !name().trim()}>
              Create channel
            </button>
          </div>
        </form>
      </Show>
    </Dialog>
  );
}

/** Asks for a new name. */
export function RenameDialog(props: { title: string; label: string; value: string; onSave: (v: string) => void; onClose: () => void }): JSX.Element {
  const [value, setValue] = createSignal(props.value);
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value().trim()) props.onSave(value().trim());
          props.onClose();
        }}
      >
        <label class="field">
          <span>{props.label}</span>
          <input class="input" required maxLength={80} value={value()} onInput={(e) => setValue(e.currentTarget.value)} data-autofocus />
        </label>
        <div class="dialog-actions">
          <button type="button" class="btn" onClick={() => props.onClose()}>
            Cancel
          </button>
          <button type="submit" class="btn primary">
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * A command (or several lines of them) with a "Copy" button. Each line stays one block, so a
 * long line that wraps is indented under its start instead of looking like two commands. Where
 * the Clipboard API is missing (a relay served over plain http on a LAN address) the text is
 * selected and copied the old way, or left selected for Ctrl+C.
 */
export function CopyCommand(props: { text: string; label: string }): JSX.Element {
  const [copied, setCopied] = createSignal<"Copy" | "Copied" | "Press Ctrl+C">("Copy");
  let pre!: HTMLPreElement;
  const lines = (): string[] => props.text.split("\n");
  const fallback = (): void => {
    const range = document.createRange();
    range.selectNodeContents(pre);
    const sel = getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
    // execCommand is deprecated but is the only copy left outside secure contexts.
    show(document.execCommand?.("copy") === true ? "Copied" : "Press Ctrl+C");
  };
  const show = (state: "Copied" | "Press Ctrl+C"): void => {
    setCopied(state);
    setTimeout(() => setCopied("Copy"), state === "Copied" ? 1500 : 4000);
  };
  return (
    <div class="cmd">
      <pre ref={(el) => (pre = el)} aria-label={props.label} classList={{ lines: lines().length > 1 }}>
        <For each={lines()}>
          {(line, i) => (
            <span class="line">
              {line}
              {i() < lines().length - 1 ? "\n" : ""}
            </span>
          )}
        </For>
      </pre>
      <button
        type="button"
        class="btn small"
        aria-label={`Copy ${props.label}`}
        onClick={() => {
          if (navigator.clipboard === undefined) return fallback();
          void navigator.clipboard.writeText(props.text).then(() => show("Copied"), fallback);
        }}
      >
        {copied()}
      </button>
    </div>
  );
}

/** How often the open token list is read again (a gateway connecting shows within this). */
export const TOKEN_LIST_REFRESH_MS = 3000;

/**
 * Pairing tokens: create one (shown once, with the lines that connect a gateway), list them live
 * (connected, last used), revoke one after a confirm.
 */
export function PairingDialog(props: { token: string; onRevoked?: (tokenId: string) => void; onClose: () => void }): JSX.Element {
  const [name, setName] = createSignal("My gateway");
  const [created, setCreated] = createSignal<{ token: string; name: string }>();
  const [error, setError] = createSignal<string>();
  const [list, { refetch }] = createResource(async () => {
    const r = await relayApi.listPairingTokens(props.token);
    return r.ok ? r.value : [];
  });
  // Live while open: a gateway that connects, or stops, shows without reopening.
  const refresh = setInterval(() => void refetch(), TOKEN_LIST_REFRESH_MS);
  onCleanup(() => clearInterval(refresh));
  /** The token whose revoke waits for a confirm. */
  const [confirming, setConfirming] = createSignal<string>();
  const revoke = async (id: string): Promise<void> => {
    setConfirming(undefined);
    const r = await relayApi.deletePairingToken(props.token, id);
    if (!r.ok) setError(r.message);
    else props.onRevoked?.(id);
    void refetch();
  };
  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    const r = await relayApi.createPairingToken(props.token, name().trim() || "My gateway");
    if (!r.ok) return void setError(r.message);
    setCreated({ token: r.value.token, name: r.value.label });
    void refetch();
  };
  return (
    <Dialog title="Pairing tokens" wide onClose={props.onClose}>
      <p>
        A pairing token lets a gateway (your OpenClaw or the demo agent) join your workspace. The gateway also needs your passphrase: it is asked for on that
        machine and never leaves your devices.
      </p>
      <form class="pairing-form" onSubmit={(e) => void create(e)}>
        <label class="field">
          <span>Gateway name</span>
          <input class="input" maxLength={64} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" class="btn primary">
          Create pairing token
        </button>
      </form>
      <ErrorNote message={error()} />
      <Show when={created()}>
        {(c) => {
          const lines = (): ReturnType<typeof connectLines> => connectLines({ relayUrl: location.origin, pairingToken: c().token, name: c().name });
          return (
            <div class="pairing-result">
              <div class="warning">Copy it now: the token is shown only once.</div>
              <CopyCommand label="pairing token" text={c().token} />
              <h3>Connect your OpenClaw gateway</h3>
              <p class="hint">
                On the machine running OpenClaw, in the folder holding <code>botschat-openclaw/</code> (the plugin package, built with{" "}
                <code>pnpm --filter @botschat/botschat build:openclaw</code>), paste these lines. The third one asks for your workspace passphrase without
                showing it; the passphrase is not part of the lines.
              </p>
              <CopyCommand label="OpenClaw setup lines" text={lines().openclaw.join("\n")} />
              <h3>Or try the demo agent</h3>
              <p class="hint">
                From a BotsChat checkout; it asks for the pairing token above and your passphrase when it starts, and keeps the token for later starts.
              </p>
              <CopyCommand label="demo agent command" text={lines().demo} />
            </div>
          );
        }}
      </Show>
      <h3>Tokens</h3>
      <ul class="token-list" aria-label="Pairing tokens">
        <For each={list() ?? []} fallback={<li class="hint">No pairing tokens yet.</li>}>
          {(t) => (
            <li>
              <span class={`dot ${t.connected ? "live" : "off"}`} aria-hidden="true" />
              <span class="label">{t.label}</span>
              <span class="hint">{t.connected ? "connected" : t.lastUsedAt ? `last used ${new Date(t.lastUsedAt).toLocaleString()}` : "never used"}</span>
              <Show
                when={confirming() === t.id}
                fallback={
                  <button type="button" class="btn small" aria-label={`Revoke ${t.label}`} onClick={() => setConfirming(t.id)}>
                    Revoke
                  </button>
                }
              >
                <span class="confirm-inline" role="group" aria-label={`Revoke ${t.label}?`}>
                  <span class="hint">{t.connected ? "It is disconnected at once." : "It can no longer connect."}</span>
                  <button type="button" class="btn small danger" onClick={() => void revoke(t.id)}>
                    Revoke token
                  </button>
                  <button type="button" class="btn small" onClick={() => setConfirming(undefined)}>
                    Cancel
                  </button>
                </span>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <div class="dialog-actions">
        <button type="button" class="btn" onClick={() => props.onClose()}>
          Done
        </button>
      </div>
    </Dialog>
  );
}

/** "Sign out", with the choice to also wipe this device's copy and keys. */
export function SignOutDialog(props: { onSignOut: (wipe: boolean) => void; onClose: () => void }): JSX.Element {
  const [wipe, setWipe] = createSignal(false);
  return (
    <Dialog title="Sign out" onClose={props.onClose}>
      <p>Messages you wrote offline that have not been sent yet stay queued on this device unless you delete its copy.</p>
      <label class="check">
        <input type="checkbox" checked={wipe()} onChange={(e) => setWipe(e.currentTarget.checked)} />
        Also delete this device's copy of the workspace and its keys
      </label>
      <div class="dialog-actions">
        <button type="button" class="btn" onClick={() => props.onClose()}>
          Cancel
        </button>
        <button type="button" class="btn" classList={{ danger: wipe(), primary: !wipe() }} onClick={() => props.onSignOut(wipe())}>
          Sign out
        </button>
      </div>
    </Dialog>
  );
}
