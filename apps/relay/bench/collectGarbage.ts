import WebSocket from "ws";
import type { RelayProcess } from "@botschat/relay-testkit";

/** Environment that starts the relay with its inspector on a free loopback port. */
export const INSPECTABLE_ENV = { NODE_OPTIONS: "--inspect=127.0.0.1:0" } as const;

const DEBUGGER_URL = /Debugger listening on (ws:\/\/\S+)/;

/**
 * Run a full garbage collection in a relay started with `INSPECTABLE_ENV`, through the inspector
 * protocol (`HeapProfiler.collectGarbage`), so that its resident memory can be read without the
 * noise of garbage not collected yet.
 */
export async function collectGarbage(relay: RelayProcess, timeoutMs = 10_000): Promise<void> {
  const url = relay.logs.map((l) => DEBUGGER_URL.exec(l)?.[1]).find((u) => u !== undefined);
  if (!url) throw new Error("the relay has no inspector: start it with INSPECTABLE_ENV");
  const ws = new WebSocket(url);
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no answer from the relay's inspector")), timeoutMs);
      ws.on("message", (data: Buffer) => {
        const answer = JSON.parse(data.toString()) as { id?: number; error?: { message: string } };
        if (answer.id !== 1) return;
        clearTimeout(timer);
        if (answer.error) reject(new Error(answer.error.message));
        else resolve();
      });
      ws.send(JSON.stringify({ id: 1, method: "HeapProfiler.collectGarbage" }));
    });
  } finally {
    ws.close();
  }
}
