import { Counter } from "@automerge/automerge";
import { type DocHeader, SCHEMA_VERSION } from "./DocType.js";
import { type Imm, imm } from "./Imm.js";
import type { AgentId, ChannelId, DeviceId, DocumentId, GatewayId, JobId, ModelId, RunRequestId, TaskId } from "./ids.js";

/** What a gateway last applied to its scheduler (`recordTaskApplied`). */
export interface AppliedState {
  /** The task revision applied. */
  revision: number;
  /** The scheduler's (OpenClaw cron) job id, when one exists. */
  cronJobId?: Imm;
  /** Why applying failed; the task shows it. */
  error?: Imm;
  at: number;
  by: Imm<GatewayId>;
}

/** A person's "Run now" request, consumed once by a gateway. */
export interface RunRequest {
  id: Imm<RunRequestId>;
  at: number;
  by: Imm<DeviceId>;
  consumed?: { by: Imm<GatewayId>; at: number; job?: Imm<JobId> };
}

/** A background task. */
export interface TaskDoc extends DocHeader<"task"> {
  id: Imm<TaskId>;
  channel: Imm<ChannelId>;
  channelDoc: Imm<DocumentId>;
  name: Imm;
  /** `every <n><s|m|h|d>`, `at HH:MM` (daily) or `cron <expr>` — see `parseSchedule`. */
  schedule: Imm;
  /** IANA time zone for `at` and `cron` schedules. */
  timezone: Imm;
  /** Collaborative text: people may edit the prompt together. */
  prompt: string;
  model?: Imm<ModelId>;
  agentId: Imm<AgentId>;
  enabled: boolean;
  /** Bumped by every edit; a counter so concurrent edits still differ from what was applied. */
  revision: Counter;
  applied?: AppliedState;
  runRequests: Record<RunRequestId, RunRequest>;
  createdAt: number;
  deleted?: number;
}

/** What a person fills in for a task. */
export interface TaskFields {
  name: string;
  schedule: string;
  timezone: string;
  prompt: string;
  model?: ModelId;
  agentId: AgentId;
  enabled: boolean;
}

/** A new task document (random id, one creator), at revision 1. */
export function taskInitial(input: TaskFields & { id: TaskId; channel: ChannelId; channelDoc: DocumentId; createdAt: number }): TaskDoc {
  const doc: TaskDoc = {
    type: imm("task"),
    schema: SCHEMA_VERSION.task,
    id: imm(input.id),
    channel: imm(input.channel),
    channelDoc: imm(input.channelDoc),
    name: imm(input.name),
    schedule: imm(input.schedule),
    timezone: imm(input.timezone),
    prompt: input.prompt,
    agentId: imm(input.agentId),
    enabled: input.enabled,
    revision: new Counter(1),
    runRequests: {},
    createdAt: input.createdAt,
  };
  if (input.model !== undefined) doc.model = imm(input.model);
  return doc;
}
