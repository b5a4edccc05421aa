import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { AgentId, ModelId, TaskId } from "@botschat/model";
import type { ScheduledTask } from "../Scheduler.js";
import { readBody, tokenRoute } from "./conformanceRoute.js";
import type { OpenClawScheduler } from "./OpenClawScheduler.js";
import type { HttpRoute } from "./openclawSdk.js";

/** The route's path on the gateway's HTTP port. */
export const SCHEDULER_PATH = "/botschat/scheduler";

/** Prefix of a session's account id: its cron jobs are tagged `botschat-task conformance-<session> <task>`. */
export const SESSION_ACCOUNT_PREFIX = "conformance-";

/** At most this many sessions at once; more are refused (503). */
const MAX_SESSIONS = 4;
/** The largest call the route reads. */
const MAX_CALL_BODY = 64 << 10;

/** One call on a session's scheduler, as `POST …/<session>` takes it. */
export type SchedulerCall =
  | { op: "upsert"; task: ScheduledTask }
  | { op: "setEnabled"; task: TaskId; enabled: boolean }
  | { op: "remove"; task: TaskId }
  | { op: "runNow"; task: TaskId; runId: string }
  | { op: "close" };

/** A call's answer: the method's result, or the error it threw. */
export type SchedulerCallResult = { ok: true; value: unknown } | { ok: false; error: string };

interface Session {
  scheduler: OpenClawScheduler;
  /** Closes the scheduler, removes its jobs and ends the event stream (once). */
  end(): Promise<void>;
}

/**
 * The scheduler's side of the opt-in test bridge (beside {@link conformanceRoute}, registered
 * only with it, under the same bearer token): a caller drives an {@link OpenClawScheduler} on
 * this gateway's cron, so the scheduler conformance suite runs against the real cron.
 *
 * `GET …/events` opens a session: a scheduler of its own account (`conformance-<session>`, so
 * its jobs are apart from the channel accounts' and from other sessions'), answered as NDJSON:
 * first `{"type":"session","id"}`, then every run event. `POST …/<session>` takes one
 * {@link SchedulerCall} and answers a {@link SchedulerCallResult}. `close`, or the caller closing
 * the stream, ends the session and removes the jobs it left.
 */
export function schedulerRoute(token: string, makeScheduler: (accountId: string) => OpenClawScheduler): HttpRoute {
  const sessions = new Map<string, Session>();

  const open = async (res: ServerResponse): Promise<void> => {
    if (sessions.size >= MAX_SESSIONS) {
      res.writeHead(503).end();
      return;
    }
    const id = randomBytes(8).toString("hex");
    const scheduler = makeScheduler(`${SESSION_ACCOUNT_PREFIX}${id}`);
    res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store" });
    res.write(JSON.stringify({ type: "session", id }) + "\n");
    const off = scheduler.onRun((e) => res.write(JSON.stringify(e) + "\n"));
    let stopped!: () => void;
    const done = new Promise<void>((r) => (stopped = r));
    let ended: Promise<void> | undefined;
    const session: Session = {
      scheduler,
      end: () =>
        (ended ??= (async () => {
          sessions.delete(id);
          off();
          await scheduler.prune(new Set()).catch(() => 0);
          await scheduler.close();
          res.end();
          stopped();
        })()),
    };
    sessions.set(id, session);
    res.on("close", () => void session.end());
    await done;
  };

  return tokenRoute(SCHEDULER_PATH, token, async (req, res) => {
    const rest = (req.url ?? "").split("?")[0]!.slice(SCHEDULER_PATH.length);
    if (req.method === "GET" && rest === "/events") {
      await open(res);
      return true;
    }
    const session = req.method === "POST" && /^\/[0-9a-f]{16}$/.test(rest) ? sessions.get(rest.slice(1)) : undefined;
    if (session === undefined) {
      res.writeHead(404).end();
      return true;
    }
    const raw = await readBody(req, MAX_CALL_BODY);
    if (raw === undefined) {
      res.writeHead(413, { connection: "close" }).end();
      return true;
    }
    const call = parseCall(raw);
    if (typeof call === "string") {
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end(call);
      return true;
    }
    let result: SchedulerCallResult;
    try {
      result = { ok: true, value: await perform(session, call) };
    } catch (e) {
      result = { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
    return true;
  });
}

async function perform(session: Session, call: SchedulerCall): Promise<unknown> {
  const s = session.scheduler;
  switch (call.op) {
    case "upsert":
      return s.upsert(call.task);
    case "setEnabled":
      return s.setEnabled(call.task, call.enabled);
    case "remove":
      return s.remove(call.task);
    case "runNow":
      return s.runNow(call.task, call.runId);
    case "close":
      return session.end();
  }
}

/** The call in a request body, or why it is not one. */
export function parseCall(raw: string): SchedulerCall | string {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return "the body is not JSON";
  }
  if (typeof v !== "object" || v === null) return "the body is not an object";
  const o = v as Record<string, unknown>;
  switch (o["op"]) {
    case "upsert": {
      const task = parseTask(o["task"]);
      return typeof task === "string" ? task : { op: "upsert", task };
    }
    case "setEnabled":
      if (!isId(o["task"])) return "task: an id";
      if (typeof o["enabled"] !== "boolean") return "enabled: a boolean";
      return { op: "setEnabled", task: o["task"] as TaskId, enabled: o["enabled"] };
    case "remove":
      return isId(o["task"]) ? { op: "remove", task: o["task"] as TaskId } : "task: an id";
    case "runNow":
      if (!isId(o["task"])) return "task: an id";
      if (!isText(o["runId"], 200) || o["runId"] === "") return "runId: a text of up to 200 characters";
      return { op: "runNow", task: o["task"] as TaskId, runId: o["runId"] };
    case "close":
      return { op: "close" };
    default:
      return "op: upsert, setEnabled, remove, runNow or close";
  }
}

/** A task as a call carries it, checked field by field. */
function parseTask(v: unknown): ScheduledTask | string {
  if (typeof v !== "object" || v === null) return "task: an object";
  const t = v as Record<string, unknown>;
  if (!isId(t["id"])) return "task.id: an id";
  if (!isText(t["agentId"], 100) || t["agentId"] === "") return "task.agentId: a text of up to 100 characters";
  for (const [field, max] of [
    ["name", 200],
    ["schedule", 200],
    ["timezone", 100],
    ["prompt", 16_000],
  ] as const) {
    if (!isText(t[field], max)) return `task.${field}: a text of up to ${max} characters`;
  }
  if (typeof t["enabled"] !== "boolean") return "task.enabled: a boolean";
  if (t["model"] !== undefined && (!isText(t["model"], 200) || t["model"] === "")) return "task.model: a text of up to 200 characters";
  if (t["anchor"] !== undefined && (typeof t["anchor"] !== "number" || !Number.isFinite(t["anchor"]))) return "task.anchor: a number";
  return {
    id: t["id"] as TaskId,
    name: t["name"] as string,
    schedule: t["schedule"] as string,
    timezone: t["timezone"] as string,
    prompt: t["prompt"] as string,
    agentId: t["agentId"] as AgentId,
    enabled: t["enabled"],
    ...(t["model"] === undefined ? {} : { model: t["model"] as ModelId }),
    ...(t["anchor"] === undefined ? {} : { anchor: t["anchor"] as number }),
  };
}

/** A task id as a cron job's tag and session name can carry it. */
const isId = (v: unknown): v is string => typeof v === "string" && /^[\w-]{1,100}$/.test(v);

const isText = (v: unknown, max: number): v is string => typeof v === "string" && v.length <= max;
