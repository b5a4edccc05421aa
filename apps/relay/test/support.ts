import { expect } from "vitest";
import type { JsonResponse } from "@botschat/relay-testkit";

/** [X1]: an error answer has the status, the code, a human message, and nothing internal. */
export function expectApiError(res: JsonResponse, status: number, code: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { error: { code } } });
  expect(res.headers.get("content-type") ?? "").toContain("application/json");
  expect(typeof res.body.error.message).toBe("string");
  expect(res.body.error.message.length).toBeGreaterThan(0);
  expectNoInternals(res.text);
}

/** [X2]: no stack trace or internal detail in an answer. */
export function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/\bat .+\.(ts|js|mjs|cjs):\d+/);
  expect(text).not.toMatch(/node_modules|SqliteError|SQLITE_|TypeError|ReferenceError|\/work\//);
}

/** Wait until `check` returns true (polling, no fixed sleep); fails after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
