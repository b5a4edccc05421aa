import type { MessageView } from "@botschat/model";
import type { EngineStatus } from "../shared/views.js";

/** What the status line of a person's message says. */
export interface StatusLabel {
  label: string;
  tone: "muted" | "ok" | "error";
  /** The message failed or stopped: a "Retry" button goes beside it. */
  retry: boolean;
}

/**
 * The status of a person's message as words: "Queued" while offline, "Sending" while the outbox
 * drains, "Sent", "Delivered" once an agent took it, "Answered", or "Error"/"Stopped" with a
 * retry, or "Not sent" when its document holds a change the relay refused and that cannot go in
 * parts. Agent and system messages have none; messages from another device are never "Queued".
 */
export function statusLabel(
  message: MessageView,
  sync: Pick<EngineStatus, "state" | "pending" | "device" | "unsent">,
  doc?: string,
  waitingFor?: string,
): StatusLabel | undefined {
  if (message.role !== "user") return undefined;
  // Another device's message reached this one through the relay: it was sent.
  const mine = sync.device === undefined || message.author === undefined || message.author === sync.device;
  switch (message.status) {
    case "pending":
      // Its document holds a change the relay will not take: it stays on this device.
      if (mine && doc !== undefined && sync.unsent?.includes(doc)) return { label: "Not sent: too large for the relay", tone: "error", retry: false };
      if (sync.pending > 0 && mine) return { label: sync.state === "live" ? "Sending" : "Queued", tone: "muted", retry: false };
      // At the relay, but nobody to take it yet.
      if (waitingFor !== undefined) return { label: `Sent · waiting for ${waitingFor}`, tone: "muted", retry: false };
      return { label: "Sent", tone: "muted", retry: false };
    case "received":
      return { label: "Delivered", tone: "muted", retry: false };
    case "answered":
      return { label: "Answered", tone: "ok", retry: false };
    case "error":
      return { label: message.error ? `Error: ${message.error}` : "Error", tone: "error", retry: true };
    case "interrupted":
      return { label: message.error ? `Stopped: ${message.error}` : "Stopped", tone: "error", retry: true };
  }
}
