import type { AgentBackend, AgentEvent, AgentInfo, AgentRequest, ModelChoice, SkillInfo } from "../src/AgentBackend.js";

/**
 * The plugin's backend inside the gateway, reached over its opt-in route
 * (`/botschat/backend`, see src/openclaw/conformanceRoute.ts): the events stream as NDJSON,
 * and aborting the request closes it, which aborts the turn in the gateway.
 */
export class RemoteBackend implements AgentBackend {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  private async meta(): Promise<{ agents: AgentInfo[]; models: ModelChoice[]; skills: SkillInfo[] }> {
    const res = await fetch(`${this.baseUrl}/botschat/backend/meta`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw new Error(`meta: HTTP ${res.status}`);
    return (await res.json()) as { agents: AgentInfo[]; models: ModelChoice[]; skills: SkillInfo[] };
  }

  async listAgents(): Promise<readonly AgentInfo[]> {
    return (await this.meta()).agents;
  }

  async listModels(): Promise<readonly ModelChoice[]> {
    return (await this.meta()).models;
  }

  async listSkills(): Promise<readonly SkillInfo[]> {
    return (await this.meta()).skills;
  }

  async *answer(request: AgentRequest): AsyncGenerator<AgentEvent> {
    const { signal, ...rest } = request;
    const res = await fetch(`${this.baseUrl}/botschat/backend/answer`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
      body: JSON.stringify(rest),
      signal,
    });
    if (!res.ok || res.body === null) throw new Error(`answer: HTTP ${res.status}`);
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of res.body) {
      buffered += decoder.decode(chunk as Uint8Array, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.trim() === "") continue;
        const ev = JSON.parse(line) as AgentEvent | { type: "error"; message: string };
        if (ev.type === "error") throw new Error(ev.message);
        yield ev;
      }
    }
  }
}
