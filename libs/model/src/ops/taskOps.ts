import * as A from "@automerge/automerge";
import { type DocHandle, encodeHeads } from "@automerge/automerge-repo";
import type { ChannelDoc } from "../docs/ChannelDoc.js";
import type { DocStore } from "../docs/DocStore.js";
import { imm, str } from "../docs/Imm.js";
import { type AgentId, type DocumentId, type ModelId, randomId, type RunRequestId, type TaskId } from "../docs/ids.js";
import { parseSchedule } from "../docs/parseSchedule.js";
import { type TaskDoc, type TaskFields, taskInitial } from "../docs/TaskDoc.js";
import { validTimezone } from "../docs/validTimezone.js";
import { type DeviceActor, nowOf } from "./Actor.js";
import { liveChannel } from "./liveChannel.js";
import { validName } from "./validName.js";
import { openDoc, openRoot } from "./openDoc.js";
import { OpError, OpErrorCode } from "./OpError.js";
import { checkTextSize } from "./textLimit.js";
import { tombstoneTask } from "./tombstoneTask.js";

/** A new task: its id and document. */
export interface CreatedTask {
  task: TaskId;
  doc: DocumentId;
}

/** What `createTask` needs; the agent defaults to the channel's, `enabled` to true. */
export type NewTask = Omit<TaskFields, "agentId" | "enabled"> & { agentId?: AgentId; enabled?: boolean };

/** What `editTask` may change; `model: null` clears the model. */
export type TaskChanges = Partial<Omit<TaskFields, "model" | "enabled">> & { model?: ModelId | null };

/**
 * Creates a background task in a channel, at revision 1.
 *
 * @example
 * await createTask(store, me, { channelDoc, name: "Morning digest", schedule: "at 09:00", timezone: "Europe/Paris", prompt: "Summarise the news" });
 */
export async function createTask(store: DocStore, actor: DeviceActor, input: NewTask & { channelDoc: DocumentId }): Promise<CreatedTask> {
  const fields = validTask(input);
  const channel = await openDoc<ChannelDoc>(store, input.channelDoc, "channel");
  const channelId = str(channel.doc().id);
  const entry = liveChannel(await openRoot(store), channelId);
  const task = randomId<TaskId>();
  const now = nowOf(actor);
  const handle = store.create<TaskDoc>(
    taskInitial({
      ...fields,
      agentId: input.agentId ?? str(entry.agentId),
      enabled: input.enabled ?? true,
      id: task,
      channel: channelId,
      channelDoc: input.channelDoc,
      createdAt: now,
    }),
  );
  channel.change((c) => {
    c.tasks[task] = { id: imm(task), doc: imm(handle.documentId), jobLogs: {}, createdAt: now };
  });
  return { task, doc: handle.documentId };
}

/**
 * Edits a task; bumps its revision (once) when something changed. Returns whether it did.
 *
 * `base` is the task's heads (`TaskView.heads`) when the person started editing: the prompt
 * is then changed as it was at those heads, so edits that arrived since (another device's) merge
 * with this one instead of being overwritten. Without it the prompt is diffed against the
 * document as it is now. The other fields are set as they are given: the last writer wins.
 *
 * @example
 * const { heads } = taskView(handle.doc()); // when the editor opens
 * await editTask(store, me, { taskDoc, prompt: "Please summarise the news", base: heads });
 */
export async function editTask(store: DocStore, _actor: DeviceActor, input: TaskChanges & { taskDoc: DocumentId; base?: string[] }): Promise<boolean> {
  const handle = await liveTask(store, input.taskDoc);
  const t = handle.doc();
  if (input.name !== undefined) validName(input.name);
  if (input.schedule !== undefined) validSchedule(input.schedule);
  if (input.timezone !== undefined) validZone(input.timezone);
  if (input.prompt !== undefined) checkTextSize(input.prompt, "The prompt");
  const base = input.base;
  const prompt = input.prompt !== undefined && input.prompt !== promptAt(t, base) ? input.prompt : undefined;
  const changed =
    prompt !== undefined ||
    (input.name !== undefined && input.name.trim() !== str(t.name)) ||
    (input.schedule !== undefined && input.schedule.trim() !== str(t.schedule)) ||
    (input.timezone !== undefined && input.timezone !== str(t.timezone)) ||
    (input.agentId !== undefined && input.agentId !== str(t.agentId)) ||
    (input.model !== undefined && (input.model ?? undefined) !== str(t.model));
  if (!changed) return false;
  // Collaborative text: a minimal diff from what the person saw, so concurrent edits merge.
  if (prompt !== undefined && base !== undefined) handle.changeAt(encodeHeads(base), (d) => A.updateText(d, ["prompt"], prompt));
  handle.change((d) => {
    if (input.name !== undefined) d.name = imm(input.name.trim());
    if (input.schedule !== undefined) d.schedule = imm(input.schedule.trim());
    if (input.timezone !== undefined) d.timezone = imm(input.timezone);
    if (prompt !== undefined && base === undefined) A.updateText(d, ["prompt"], prompt);
    if (input.agentId !== undefined) d.agentId = imm(input.agentId);
    if (input.model === null) delete d.model;
    else if (input.model !== undefined) d.model = imm(input.model);
    d.revision.increment(1);
  });
  return true;
}

/** The prompt as it was at `heads` (as it is, without them); refuses heads the document does not have. */
function promptAt(t: TaskDoc, heads: string[] | undefined): string {
  if (heads === undefined) return t.prompt;
  let prompt: unknown;
  try {
    prompt = heads.length === 0 ? undefined : A.view(t, heads).prompt;
  } catch {
    prompt = undefined;
  }
  if (typeof prompt !== "string") throw new OpError(OpErrorCode.invalid, "the edit starts from a version of the task this device does not have");
  return prompt;
}

/** Enables or disables a task (a new revision when it changes). Returns whether it changed. */
export async function setTaskEnabled(store: DocStore, _actor: DeviceActor, input: { taskDoc: DocumentId; enabled: boolean }): Promise<boolean> {
  const handle = await liveTask(store, input.taskDoc);
  if (handle.doc().enabled === input.enabled) return false;
  handle.change((d) => {
    d.enabled = input.enabled;
    d.revision.increment(1);
  });
  return true;
}

/**
 * Deletes a task: marks it deleted (a new revision, so its gateway removes the scheduled job and
 * then tombstones it through `recordTaskApplied`). A task no gateway ever applied is tombstoned
 * at once.
 */
export async function deleteTask(store: DocStore, actor: DeviceActor, input: { taskDoc: DocumentId }): Promise<void> {
  const handle = await openDoc<TaskDoc>(store, input.taskDoc, "task");
  const channel = await openDoc<ChannelDoc>(store, str(handle.doc().channelDoc), "channel");
  await retireTask(store, channel, str(handle.doc().id), nowOf(actor), false);
}

/** Asks the task's gateway to run it now; returns the request id. */
export async function requestRun(store: DocStore, actor: DeviceActor, input: { taskDoc: DocumentId }): Promise<RunRequestId> {
  const handle = await liveTask(store, input.taskDoc);
  const id = randomId<RunRequestId>();
  const now = nowOf(actor);
  handle.change((d) => {
    d.runRequests[id] = { id: imm(id), at: now, by: imm(actor.device) };
  });
  return id;
}

/** Marks a task deleted; tombstones it now when no gateway applied it. Used by task and channel deletion. */
export async function retireTask(store: DocStore, channel: DocHandle<ChannelDoc>, task: TaskId, now: number, channelDeleted: boolean): Promise<void> {
  const entry = channel.doc().tasks[task];
  if (entry === undefined) throw new OpError(OpErrorCode.notFound, `no task ${task}`);
  if (entry.purged !== undefined) return;
  let applied = false;
  try {
    const handle = await openDoc<TaskDoc>(store, str(entry.doc), "task");
    applied = handle.doc().applied !== undefined;
    if (handle.doc().deleted === undefined) {
      handle.change((d) => {
        d.deleted = now;
        d.revision.increment(1);
      });
    }
  } catch {
    // The task document is gone already: nothing left to schedule or unschedule.
  }
  if (entry.deleted === undefined) {
    channel.change((c) => {
      c.tasks[task]!.deleted = now;
    });
  }
  if (!applied) await tombstoneTask(store, channel, task, now, channelDeleted);
}

async function liveTask(store: DocStore, id: DocumentId): Promise<DocHandle<TaskDoc>> {
  const handle = await openDoc<TaskDoc>(store, id, "task");
  if (handle.doc().deleted !== undefined) throw new OpError(OpErrorCode.deleted, `task ${str(handle.doc().id)} was deleted`);
  return handle;
}

function validTask<T extends { name: string; schedule: string; timezone: string; prompt: string }>(input: T): T {
  checkTextSize(input.prompt, "The prompt");
  validSchedule(input.schedule);
  validZone(input.timezone);
  return { ...input, name: validName(input.name), schedule: input.schedule.trim() };
}

function validZone(timezone: string): void {
  if (timezone.trim().length === 0) throw new OpError(OpErrorCode.invalid, "a task needs a time zone");
  if (!validTimezone(timezone)) throw new OpError(OpErrorCode.invalid, `unknown time zone “${timezone}”`);
}

function validSchedule(schedule: string): void {
  const parsed = parseSchedule(schedule);
  if (!parsed.ok) throw new OpError(OpErrorCode.invalid, parsed.message);
}
