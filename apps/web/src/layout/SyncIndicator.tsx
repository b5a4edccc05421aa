import type { PeerInfo } from "@botschat/protocol";
import type { JSX } from "solid-js";
import type { EngineStatus } from "../shared/views.js";

/** The words and colour of the sync state: offline, catching up N/M, live, … */
export function syncText(s: EngineStatus): { text: string; tone: "live" | "busy" | "off" | "err" } {
  if (s.waiting) return { text: "Open in another tab", tone: "off" };
  // A remembered passphrase being applied, or a first connection not tried yet: on its way, and
  // said so, rather than a flash of "Locked" or "Offline" on every reload.
  if (s.unlocking === true && s.state === "locked") return { text: "Unlocking…", tone: "busy" };
  if (s.starting === true && (s.state === "offline" || s.state === "locked")) return { text: "Connecting…", tone: "busy" };
  switch (s.state) {
    case "live":
      return { text: s.pending > 0 ? `Live · sending ${s.pending}` : "Live", tone: "live" };
    case "catching-up": {
      const total = Math.max(0, s.progress.head - s.progress.cursor);
      return { text: total > 0 ? `Catching up ${Math.min(s.progress.applied, total)}/${total}` : "Catching up", tone: "busy" };
    }
    case "connecting":
    case "authenticating":
      return { text: "Connecting…", tone: "busy" };
    case "offline":
      return { text: s.pending > 0 ? `Offline · ${s.pending} queued` : "Offline", tone: "off" };
    case "locked":
      return { text: "Locked", tone: "off" };
    case "error":
      return { text: s.error ?? "Disconnected", tone: "err" };
  }
}

/** The sync indicator (a live region, so its changes are announced). */
export function SyncIndicator(props: { status: EngineStatus }): JSX.Element {
  const t = (): ReturnType<typeof syncText> => syncText(props.status);
  return (
    <span class="status-pill" role="status" aria-label={`Sync: ${t().text}`} title={props.status.error ?? ""}>
      <span class={`dot ${t().tone}`} aria-hidden="true" />
      {t().text}
    </span>
  );
}

/** Whether a gateway (by its published name) has a socket open now, from the relay's `peers`. */
export function gatewayOnline(peers: readonly PeerInfo[], gatewayName: string | undefined): boolean {
  return peers.some((p) => p.kind === "plugin" && (gatewayName === undefined || p.label === gatewayName));
}
