import { derivedId, type SessionId, type TaskId } from "./ids.js";

/**
 * The session that holds a task's runs (each job's prompt and answer), the same on every gateway
 * instance that writes it; a person's device recognises it by the same id (it is shown from the
 * task's job history, not as a tab or a closed session).
 */
export function taskSessionId(task: TaskId): SessionId {
  return derivedId<SessionId>("task-session", task);
}
