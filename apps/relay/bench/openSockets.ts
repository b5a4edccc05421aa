import { openSynced, type SyncClient } from "@botschat/relay-testkit";

/**
 * Open one synced socket per token (hello done, backlog read up to `synced`), `concurrency` at a
 * time so that a thousand handshakes do not all queue at once.
 */
export async function openSockets(wsUrl: string, tokens: readonly string[], concurrency = 50): Promise<SyncClient[]> {
  const clients: SyncClient[] = new Array(tokens.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tokens.length) {
      const i = next++;
      clients[i] = (await openSynced(wsUrl, tokens[i]!)).client;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tokens.length) }, worker));
  return clients;
}
