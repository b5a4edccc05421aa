import type { TaskId } from "@botschat/model";
import type { ScheduledTask, Scheduler, SchedulerRunEvent } from "../src/Scheduler.js";
import type { SchedulerCall, SchedulerCallResult } from "../src/openclaw/schedulerRoute.js";

/**
 * An `OpenClawScheduler` inside the gateway, on its cron, reached over the opt-in route
 * (`/botschat/scheduler`, see src/openclaw/schedulerRoute.ts): {@link RemoteScheduler.open}
 * opens a session (a scheduler of its own account) whose run events stream as NDJSON; each
 * method is one call on it. `close` ends the session, which removes the jobs it left.
 */
export class RemoteScheduler implements Scheduler {
  private readonly listeners = new Set<(e: SchedulerRunEvent) => void>();
  /** Reads the event stream until it ends. */
  private reading: Promise<void> = Promise.resolve();
  private closed: Promise<void> | undefined;

  private constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly abort: AbortController,
  ) {}

  /** Opens a session; resolves once the gateway's scheduler listens, so no event is missed. */
  static async open(baseUrl: string, token: string): Promise<RemoteScheduler> {
    const abort = new AbortController();
    const res = await fetch(`${baseUrl}/botschat/scheduler/events`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
    if (!res.ok || res.body === null) throw new Error(`events: HTTP ${res.status}`);
    const lines = readLines(res.body);
    const first = await lines.next();
    const hello = first.done === true ? undefined : (JSON.parse(first.value) as { type?: string; id?: string });
    if (hello?.type !== "session" || hello.id === undefined) {
      abort.abort();
      throw new Error("the scheduler route did not open a session");
    }
    const remote = new RemoteScheduler(`${baseUrl}/botschat/scheduler/${hello.id}`, token, abort);
    remote.reading = remote.read(lines);
    remote.reading.catch(() => undefined); // A broken stream surfaces at close.
    return remote;
  }

  async upsert(task: ScheduledTask): Promise<{ jobId: string }> {
    return (await this.call({ op: "upsert", task })) as { jobId: string };
  }

  async setEnabled(task: TaskId, enabled: boolean): Promise<boolean> {
    return (await this.call({ op: "setEnabled", task, enabled })) as boolean;
  }

  async remove(task: TaskId): Promise<void> {
    await this.call({ op: "remove", task });
  }

  async runNow(task: TaskId, runId: string): Promise<boolean> {
    return (await this.call({ op: "runNow", task, runId })) as boolean;
  }

  onRun(listener: (event: SchedulerRunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the session in the gateway (its jobs removed) and the event stream. */
  close(): Promise<void> {
    return (this.closed ??= (async () => {
      try {
        await this.call({ op: "close" });
        await this.reading;
      } finally {
        this.abort.abort();
      }
    })());
  }

  private async call(call: SchedulerCall): Promise<unknown> {
    const res = await fetch(this.url, {
      method: "POST",
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
      body: JSON.stringify(call),
    });
    if (!res.ok) throw new Error(`${call.op}: HTTP ${res.status} ${await res.text()}`);
    const result = (await res.json()) as SchedulerCallResult;
    if (!result.ok) throw new Error(result.error);
    return result.value;
  }

  private async read(lines: AsyncGenerator<string>): Promise<void> {
    try {
      for await (const line of lines) {
        const event = JSON.parse(line) as SchedulerRunEvent;
        for (const l of this.listeners) l(event);
      }
    } catch (e) {
      if (!this.abort.signal.aborted) throw e;
    }
  }
}

/** The non-empty lines of an NDJSON body. */
async function* readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim() !== "") yield line;
    }
  }
}
