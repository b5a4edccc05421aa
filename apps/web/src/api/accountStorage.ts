import type { Account } from "./relayApi.js";

const KEY = "botschat.account";

/**
 * The signed-in account of this browser: its id, email and session token, so the app opens
 * offline. Keys and passphrases never go here (see src/worker/deviceStore.ts).
 */
export const accountStorage = {
  load(): Account | undefined {
    try {
      const v = JSON.parse(localStorage.getItem(KEY) ?? "null") as Partial<Account> | null;
      if (v && typeof v.userId === "string" && typeof v.email === "string" && typeof v.token === "string") {
        return { userId: v.userId, email: v.email, token: v.token };
      }
    } catch {
      // A corrupt value is treated as signed out.
    }
    return undefined;
  },
  save(account: Account): void {
    localStorage.setItem(KEY, JSON.stringify(account));
  },
  clear(): void {
    localStorage.removeItem(KEY);
  },
};
