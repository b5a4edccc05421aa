import type { PeerActivity } from "./PeerActivity.js";

/**
 * One line for a person watching an agent's terminal or log: what it does, where, and how it
 * went, never message text. Channel, session and task names are the person's own words: they are
 * said only with `names` (a person at the terminal); a log that is kept (a service's journal) gets
 * the conversation's and task's ids instead.
 *
 * @example
 * peer.on("activity", (a) => console.log(describeActivity(a, process.stdout.isTTY)));
 * // answering in Demo › Planning with demo/smart…         (names)
 * // answering in session:3f… with demo/smart…             (no names)
 * // task “Digest” ran on schedule: ok in 0.4 s            (names)
 * // task 7c1e… ran on schedule: ok in 0.4 s               (no names)
 */
export function describeActivity(a: PeerActivity, names = false): string {
  const task = (t: { task: string; name: string }): string => (names ? `“${t.name}”` : t.task);
  switch (a.type) {
    case "published":
      return `published this gateway: ${plural(a.agents, "agent")}, ${plural(a.models, "model")}`;
    case "answering":
      return `answering in ${names ? a.where : a.conversation}${a.model === undefined ? "" : ` with ${a.model}`}…`;
    case "answered":
      return `answered in ${seconds(a.ms)} with ${a.model}`;
    case "failed":
      return `the reply failed: ${a.reason}`;
    case "lost":
      return "another instance of this gateway answers that message; leaving it";
    case "interrupted":
      return "marked a reply cut off by a stop as interrupted (the person can retry it)";
    case "task-applied":
      if (a.error !== undefined) return `task ${task(a)} cannot be scheduled: ${a.error}`;
      if (a.state === "removed") return `task ${task(a)} deleted: unscheduled`;
      return a.state === "paused" ? `task ${task(a)} paused (${a.schedule})` : `task ${task(a)} scheduled: ${a.schedule}`;
    case "job-started":
      return a.trigger === "run-now" ? `task ${task(a)} running now, as asked…` : `task ${task(a)} running on schedule…`;
    case "job-finished":
      if (a.interrupted === true) return `task ${task(a)}: marked a run cut off by a stop as interrupted`;
      return `task ${task(a)} ${a.trigger === "run-now" ? "ran as asked" : "ran on schedule"}: ${a.status} in ${seconds(a.ms)}`;
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
