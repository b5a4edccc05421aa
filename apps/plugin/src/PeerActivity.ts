/**
 * What the peer is doing, for a terminal or a log ({@link describeActivity} words it). Carries
 * channel, session and task names but never message text.
 */
export type PeerActivity =
  | { type: "published"; agents: number; models: number }
  /** `where`: "channel › session", with " › thread" for a thread reply. */
  | { type: "answering"; conversation: string; message: string; run: string; where: string; model?: string }
  | { type: "answered"; message: string; run: string; model: string; ms: number }
  | { type: "failed"; message: string; run: string; reason: string }
  | { type: "lost"; message: string; run: string }
  | { type: "interrupted"; message: string; run: string }
  | { type: "task-applied"; task: string; revision: number; error?: string; name: string; schedule: string; state: "scheduled" | "paused" | "removed" }
  | { type: "job-started"; task: string; job: string; name: string; trigger: JobTrigger }
  /** `interrupted`: a run nobody was running any more (cut off by a crash), finished as an error by the sweep. */
  | { type: "job-finished"; task: string; job: string; status: string; name: string; trigger: JobTrigger; ms: number; interrupted?: boolean }
  | { type: "problem"; what: string };

/** What started a job: its schedule, or a person's "Run now". */
export type JobTrigger = "scheduled" | "run-now";
