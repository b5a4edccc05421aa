import type { GatewayView } from "@botschat/model";
import type { PeerInfo } from "@botschat/protocol";
import { createEffect, createResource, createSignal, For, type JSX, on, Show } from "solid-js";
import { sessionName } from "../api/deviceLabel.js";
import { type PairingTokenInfo, relayApi, type SessionInfo } from "../api/relayApi.js";
import { PairingDialog } from "../layout/dialogs.js";
import { ConfirmDialog } from "../ui/Dialog.js";
import { ErrorNote } from "../ui/ErrorNote.js";
import { when } from "./when.js";

/** One row of the list: a signed-in session or a pairing token. */
interface DeviceRow {
  id: string;
  kind: "session" | "token";
  name: string;
  /** What it is, in words ("This device", "Signed-in session", "Agent · Home gateway"). */
  what: string;
  lastUsedAt: number | null;
  connected: boolean;
  current: boolean;
}

type Pending = { row: DeviceRow };

/**
 * Who can reach the workspace: the browsers and devices signed in to the account and the pairing
 * tokens of its agents, with what is connected now (the relay's live peers), signing one out or
 * revoking one after a confirm, and making a new pairing token.
 */
export function DevicesSection(props: {
  token: string;
  sessions: SessionInfo[] | undefined;
  peers: PeerInfo[];
  gateways: GatewayView[];
  /** The sessions changed (one signed out, one connected): read them again. */
  onSessionsChanged: () => void;
  /** A pairing token was revoked: its gateways leave New channel. */
  onTokenRevoked: (tokenId: string) => void;
}): JSX.Element {
  const [tokens, { refetch }] = createResource(async () => {
    const r = await relayApi.listPairingTokens(props.token);
    return r.ok ? r.value : undefined;
  });
  const [pairing, setPairing] = createSignal(false);
  const [pending, setPending] = createSignal<Pending>();
  const [error, setError] = createSignal<string>();
  // Someone connected or left: the lists (last used, new tokens in use) are read again.
  createEffect(
    on(
      () => props.peers,
      () => {
        void refetch();
        props.onSessionsChanged();
      },
      { defer: true },
    ),
  );
  const peerOf = (id: string): PeerInfo | undefined => props.peers.find((p) => p.device === id);
  const live = (id: string): boolean => peerOf(id) !== undefined;
  const sessionRows = (): DeviceRow[] =>
    [...(props.sessions ?? [])]
      .sort((a, b) => Number(b.current) - Number(a.current) || (b.lastUsedAt ?? b.createdAt) - (a.lastUsedAt ?? a.createdAt))
      .map((s) => ({
        id: s.id,
        kind: "session",
        // A connected browser names itself better ("Chrome on Linux") than the relay's cut user agent.
        name: peerOf(s.id)?.label || sessionName(s.label),
        what: s.current ? "This device" : "Signed-in session",
        lastUsedAt: s.lastUsedAt,
        connected: s.current || live(s.id),
        current: s.current,
      }));
  const tokenRows = (): DeviceRow[] =>
    (tokens() ?? []).map((t: PairingTokenInfo) => {
      const gateway = props.gateways.find((g) => g.token === t.id);
      return {
        id: t.id,
        kind: "token",
        name: t.label,
        what: gateway !== undefined && gateway.name !== t.label ? `Agent · ${gateway.name}` : "Agent",
        lastUsedAt: t.lastUsedAt,
        connected: live(t.id),
        current: false,
      };
    });
  const revoke = async (row: DeviceRow): Promise<void> => {
    setError(undefined);
    const r = row.kind === "token" ? await relayApi.deletePairingToken(props.token, row.id) : await relayApi.deleteSession(props.token, row.id);
    // Gone already (revoked from another device) is what was asked for.
    if (!r.ok && r.status !== 404) setError(r.message);
    else if (row.kind === "token") props.onTokenRevoked(row.id);
    if (row.kind === "token") void refetch();
    else props.onSessionsChanged();
  };
  return (
    <section class="settings-section" aria-labelledby="settings-devices">
      <h3 id="settings-devices">Devices and agents</h3>
      <h4 id="settings-sessions">Browsers and devices</h4>
      <DeviceList
        label="Signed-in sessions"
        rows={sessionRows()}
        loading={props.sessions === undefined}
        empty="No session is signed in."
        onRevoke={(row) => setPending({ row })}
      />
      <div class="settings-subhead">
        <h4 id="settings-tokens">Agents</h4>
        <button type="button" class="btn small" onClick={() => setPairing(true)}>
          Create pairing token
        </button>
      </div>
      <p class="hint">An agent (your OpenClaw gateway or the demo agent) joins the workspace with a pairing token of its own.</p>
      <DeviceList
        label="Pairing tokens"
        rows={tokenRows()}
        loading={tokens.loading && tokens() === undefined}
        empty="No pairing tokens yet."
        onRevoke={(row) => setPending({ row })}
      />
      <ErrorNote message={error()} />
      <Show when={pending()}>
        {(p) => (
          <ConfirmDialog
            title={p().row.kind === "token" ? `Revoke “${p().row.name}”?` : `Sign out “${p().row.name}”?`}
            message={
              p().row.kind === "token"
                ? `${p().row.connected ? "The agent is disconnected at once and" : "The agent"} can no longer connect with this token. Its channels stay, but its gateway is no longer offered for new channels.`
                : "It is signed out at once and needs the password to sign in again."
            }
            confirmLabel={p().row.kind === "token" ? "Revoke token" : "Sign out"}
            danger
            onClose={() => setPending(undefined)}
            onConfirm={() => void revoke(p().row)}
          />
        )}
      </Show>
      <Show when={pairing()}>
        <PairingDialog
          token={props.token}
          onRevoked={props.onTokenRevoked}
          onClose={() => {
            setPairing(false);
            void refetch();
          }}
        />
      </Show>
    </section>
  );
}

function DeviceList(props: { label: string; rows: DeviceRow[]; loading: boolean; empty: string; onRevoke: (row: DeviceRow) => void }): JSX.Element {
  return (
    <ul class="device-list" aria-label={props.label}>
      <For each={props.rows} fallback={<li class="hint">{props.loading ? "Loading…" : props.empty}</li>}>
        {(row) => (
          <li>
            <span class={`dot ${row.connected ? "live" : "off"}`} aria-hidden="true" />
            <span class="device-text">
              <span class="label">{row.name}</span>
              <span class="hint">
                {row.what} · {row.connected ? "connected now" : row.lastUsedAt !== null ? `last used ${when(row.lastUsedAt)}` : "never used"}
              </span>
            </span>
            <Show when={!row.current}>
              <button
                type="button"
                class="btn small"
                aria-label={`${row.kind === "token" ? "Revoke" : "Sign out"} ${row.name}`}
                onClick={() => props.onRevoke(row)}
              >
                {row.kind === "token" ? "Revoke" : "Sign out"}
              </button>
            </Show>
          </li>
        )}
      </For>
    </ul>
  );
}
