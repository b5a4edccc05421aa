import type { PeerActivity } from "./AgentPeer.js";

/**
 * One line for a person watching an agent's terminal or log: what it does, where, and how it
 * went — by channel, session and task names, never message text.
 *
 * @example
 * peer.on("activity", (a) => console.log(describeActivity(a)));
 * // answering in Demo › Planning with demo/smart…
 * // answered in 1.2 s with demo/smart
 * // task “Digest” ran on schedule: ok in 0.4 s
 */
export function describeActivity(a: PeerActivity): string {
  switch (a.type) {
    case "published":
      return `published this gateway: ${plural(a.agents, "agent")}, ${plural(a.models, "model")}`;
    case "answering":
      return `answering in ${a.where}${a.model === undefined ? "" : ` with ${a.model}`}…`;
    case "answered":
      return `answered in ${seconds(a.ms)} with ${a.model}`;
    case "failed":
      return `the reply failed: ${a.reason}`;
    case "lost":
      return "another instance of this gateway answers that message; leaving it";
    case "interrupted":
      return "marked a reply cut off by a stop as interrupted (the person can retry it)";
    case "task-applied":
      if (a.error !== undefined) return `task “${a.name}” cannot be scheduled: ${a.error}`;
      if (a.state === "removed") return `task “${a.name}” deleted: unscheduled`;
      return a.state === "paused" ? `task “${a.name}” paused (${a.schedule})` : `task “${a.name}” scheduled: ${a.schedule}`;
    case "job-started":
      return a.trigger === "run-now" ? `task “${a.name}” running now, as asked…` : `task “${a.name}” running on schedule…`;
    case "job-finished":
      if (a.interrupted === true) return `task “${a.name}”: marked a run cut off by a stop as interrupted`;
      return `task “${a.name}” ${a.trigger === "run-now" ? "ran as asked" : "ran on schedule"}: ${a.status} in ${seconds(a.ms)}`;
    case "problem":
      return `problem: ${a.what}`;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
