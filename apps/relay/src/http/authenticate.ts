import { SESSION_IDLE_MS, type DeviceId } from "@botschat/protocol";
import type { LogStore, TokenRecord, UserRecord } from "../store/LogStore.js";
import { looksLikeToken, tokenHash } from "./secrets.js";

/** How often a token's `lastUsedAt` is written, at most. */
const TOUCH_EVERY_MS = 60_000;

export type Authenticated = { user: UserRecord; token: TokenRecord };

/**
 * Resolves a token to its user ([X3]): unknown, malformed, revoked and expired tokens all give
 * null; an expired session token is deleted on sight.
 */
export async function authenticate(store: LogStore, token: string, now = Date.now()): Promise<Authenticated | null> {
  if (!looksLikeToken(token)) return null;
  const record = await store.findToken(tokenHash(token));
  if (!record) return null;
  if (record.kind === "session" && (record.lastUsedAt ?? record.createdAt) < now - SESSION_IDLE_MS) {
    await store.deleteToken(record.userId, record.id);
    return null;
  }
  const user = await store.getUser(record.userId);
  if (!user) return null;
  if ((record.lastUsedAt ?? 0) < now - TOUCH_EVERY_MS) {
    await store.touchToken(record.id as DeviceId, now);
    record.lastUsedAt = now;
  }
  return { user, token: record };
}

/** The token of an `Authorization: Bearer …` header, if any. */
export function bearer(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m ? m[1]! : null;
}
