import {
  archiveSession,
  createSession,
  derivedId,
  postMessage,
  str,
  taskSessionId,
  type ChannelDoc,
  type DocStore,
  type DocumentId,
  type GatewayActor,
  type JobId,
  type MessageId,
  type TaskDoc,
} from "@botschat/model";
import type { SchedulerRunEvent } from "./Scheduler.js";

/**
 * Writes a finished job's conversation into its task's session (one per task, derived from the
 * task id, archived so it opens from the job history rather than as a tab): the prompt as a
 * system message at the job's start, then the output, or the error. Idempotent by message ids
 * derived from the job. Answers the page document that holds the prompt.
 */
export async function writeJobConversation(
  store: DocStore,
  actor: GatewayActor,
  j: { taskDoc: DocumentId; job: JobId; startedAt: number },
  e: Extract<SchedulerRunEvent, { type: "finished" }>,
): Promise<DocumentId> {
  const t = (await store.find<TaskDoc>(j.taskDoc)).doc();
  const channelDoc = str(t.channelDoc);
  const session = taskSessionId(str(t.id));
  const channel = await store.find<ChannelDoc>(channelDoc);
  if (channel.doc().sessions[session] === undefined) {
    await createSession(store, actor, { channelDoc, title: `Task: ${str(t.name)}`, session });
    // The session it made for a task's runs is out of the chat's tabs.
    await archiveSession(store, actor, { channelDoc, session, archived: true });
  }
  const at = (ms: number): GatewayActor => ({ ...actor, now: () => ms });
  const prompt = await postMessage(store, at(j.startedAt), {
    channelDoc,
    session,
    id: derivedId<MessageId>("job-prompt", j.job),
    role: "system",
    text: String(t.prompt),
  });
  const reply = e.status === "ok" ? e.output : e.error === undefined ? undefined : `The run failed: ${e.error}`;
  if (reply !== undefined && reply.length > 0) {
    await postMessage(store, at(Math.max(e.at, j.startedAt + 1)), {
      channelDoc,
      session,
      id: derivedId<MessageId>("job-output", j.job),
      role: e.status === "ok" ? "agent" : "system",
      text: reply,
      ...(e.model === undefined ? {} : { model: e.model }),
    });
  }
  return prompt.doc;
}
