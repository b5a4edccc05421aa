import { type ModelId, SLASH_COMMANDS, usageOf } from "@botschat/model";
import type { AgentBackend, AgentResult, ModelChoice } from "./AgentBackend.js";

/** What {@link slashCommand} needs to answer. */
export interface SlashContext {
  backend: Pick<AgentBackend, "listSkills">;
  models: readonly ModelChoice[];
  /** The model in effect for the message (message, session or default). */
  model?: ModelId;
  /** Sets the session's model (for `/model <id>`). */
  setModel(model: ModelId): Promise<void>;
}

/**
 * Answers `/help`, `/skills`, `/model` and `/model <id>` (the same for every backend); undefined
 * for any other text, which goes to the backend. An unknown model is refused with the list of
 * known ones, as a reply rather than an error, since the person can simply try again.
 */
export async function slashCommand(text: string, ctx: SlashContext): Promise<AgentResult | undefined> {
  const m = /^\/(help|skills|model)(?:\s+(\S+))?\s*$/.exec(text.trim());
  if (m === null) return undefined;
  const current = ctx.model ?? ("unknown" as ModelId);
  const list = ctx.models.map((c) => `- \`${c.id}\`${c.name ? ` — ${c.name}` : ""}${c.id === current ? " (current)" : ""}`).join("\n");
  switch (m[1]) {
    case "help":
      return { model: current, text: `**Commands**\n\n${SLASH_COMMANDS.map((c) => `- \`${usageOf(c)}\` — ${c.description}`).join("\n")}` };
    case "skills": {
      const skills = await ctx.backend.listSkills();
      const body = skills.length === 0 ? "This agent lists no skills." : skills.map((s) => `- **${s.name}** — ${s.description}`).join("\n");
      return { model: current, text: `**Skills**\n\n${body}` };
    }
    default: {
      const wanted = m[2] as ModelId | undefined;
      if (wanted === undefined) return { model: current, text: `This session uses \`${current}\`.\n\n${list}` };
      if (!ctx.models.some((c) => c.id === wanted)) return { model: current, text: `There is no model \`${wanted}\` here. Choose one of:\n\n${list}` };
      await ctx.setModel(wanted);
      return { model: wanted, text: `This session now uses \`${wanted}\`.` };
    }
  }
}
