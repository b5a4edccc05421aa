import { describe, expect, it } from "vitest";
import type { ActionBlockInput } from "../docs/ActionBlockInput.js";
import type { RunId } from "../docs/ids.js";
import { MemoryDocStore } from "../docs/MemoryDocStore.js";
import { sortedMessages } from "../docs/messageView.js";
import type { PageDoc } from "../docs/PageDoc.js";
import { claimMessage, recordReply } from "./agentOps.js";
import { chooseAction, sendMessage } from "./messageOps.js";
import { testDevice, testGateway, testWorkspace } from "./testWorkspace.js";

const gw = testGateway();
const run = "run-1" as RunId;

const cards: ActionBlockInput = {
  kind: "cards",
  id: "plan",
  prompt: "Pick a plan",
  cards: [
    { value: "basic", title: "Basic", image: "data:image/png;base64,iVBORw0KGgo=", imageAlt: "A chair" },
    { value: "team", title: "Team", description: "Up to ten people" },
  ],
};
const form: ActionBlockInput = {
  kind: "form",
  id: "project",
  prompt: "New project",
  fields: [
    { type: "text", name: "name", label: "Name", required: true },
    { type: "number", name: "size", label: "Team size", min: 1 },
    { type: "checkbox", name: "public", label: "Public" },
  ],
};

/** A person's message answered by the agent with `actions` (cast: an agent may write anything). */
async function agentOffers(actions: unknown[], text = "Here you go.") {
  const w = await testWorkspace();
  const { message } = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "offer me something" });
  await claimMessage(w.store, gw, { doc: w.page, message, runId: run });
  const r = await recordReply(w.store, gw, { doc: w.page, message, runId: run, text, actions: actions as ActionBlockInput[] });
  if (!r.ok) throw new Error("reply not recorded");
  const views = async () => sortedMessages((await w.store.find<PageDoc>(w.page)).doc());
  return { ...w, reply: r.reply, views };
}

describe("recording an agent's action blocks", () => {
  it("stores a radio group, cards and a form as they were offered, read back as plain data", async () => {
    const radio: ActionBlockInput = { kind: "radio", id: "size", options: [{ value: "s", label: "Small", description: "Fits one" }] };
    const w = await agentOffers([radio, cards, form]);
    const reply = (await w.views()).find((m) => m.id === w.reply)!;
    expect(reply.text).toBe("Here you go.");
    expect(reply.actions).toEqual([radio, cards, form]);
  });

  it("shows a block that is not valid as text after the reply's words, and keeps the valid ones", async () => {
    const broken = { kind: "form", id: "colour", prompt: "Your favourite colour", fields: [{ type: "color", name: "c", label: "Colour" }] };
    const w = await agentOffers([broken, cards]);
    const reply = (await w.views()).find((m) => m.id === w.reply)!;
    expect(reply.text).toBe("Here you go.\n\nYour favourite colour\n- Colour");
    expect(reply.actions?.map((b) => b.id)).toEqual(["plan"]);
    const onlyBroken = await agentOffers([broken], "");
    const view = (await onlyBroken.views()).find((m) => m.id === onlyBroken.reply)!;
    expect(view.text).toBe("Your favourite colour\n- Colour");
    expect(view.actions).toBeUndefined();
  });
});

describe("answering a radio group, cards and a form", () => {
  it("a card's choice becomes one answer message carrying its value, the card's title as the words", async () => {
    const w = await agentOffers([cards]);
    const chosen = await chooseAction(w.store, w.me, { doc: w.page, message: w.reply, block: "plan", value: "team", label: "something else" });
    expect(chosen.chosen).toBe(true);
    const views = await w.views();
    expect(views.find((m) => m.id === w.reply)!.chosen).toMatchObject({ block: "plan", value: "team", label: "Team" });
    expect(views.find((m) => m.id === chosen.answer)).toMatchObject({
      role: "user",
      text: "Team",
      status: "pending",
      answers: { block: "plan", value: "team" },
    });
  });

  it("several cards go as one answer, their values a JSON array in the cards' order", async () => {
    const w = await agentOffers([{ ...cards, multiple: true }]);
    const chosen = await chooseAction(w.store, w.me, { doc: w.page, message: w.reply, block: "plan", value: '["team","basic"]' });
    const views = await w.views();
    expect(views.find((m) => m.id === chosen.answer)).toMatchObject({ text: "Basic, Team", answers: { value: '["basic","team"]' } });
  });

  it("a form's fields go together as one answer; a submission that breaks a field's rule is refused", async () => {
    const w = await agentOffers([form]);
    await expect(chooseAction(w.store, w.me, { doc: w.page, message: w.reply, block: "project", value: '{"size":0}' })).rejects.toMatchObject({
      code: "invalid",
    });
    expect((await w.views()).find((m) => m.id === w.reply)!.chosen).toBeUndefined();
    const chosen = await chooseAction(w.store, w.me, { doc: w.page, message: w.reply, block: "project", value: '{"name":"Apollo","size":4,"public":true}' });
    const views = await w.views();
    expect(views.find((m) => m.id === chosen.answer)).toMatchObject({
      text: "Name: Apollo\nTeam size: 4\nPublic: yes",
      answers: { block: "project", value: '{"name":"Apollo","size":4,"public":true}' },
    });
    expect(views.filter((m) => m.role === "user")).toHaveLength(2);
  });

  it("refuses a card the block does not offer", async () => {
    const w = await agentOffers([cards]);
    await expect(chooseAction(w.store, w.me, { doc: w.page, message: w.reply, block: "plan", value: "gold" })).rejects.toMatchObject({ code: "invalid" });
  });

  it("two devices choosing different cards while apart end with one choice and one answer for the agent", async () => {
    const w = await agentOffers([cards]);
    const phone = new MemoryDocStore();
    phone.syncFrom(w.store);
    const onLaptop = await chooseAction(w.store, w.me, { doc: w.page, message: w.reply, block: "plan", value: "basic" });
    const onPhone = await chooseAction(phone, testDevice(2), { doc: w.page, message: w.reply, block: "plan", value: "team" });
    expect(onLaptop.answer).toBe(onPhone.answer);
    w.store.syncFrom(phone);
    phone.syncFrom(w.store);
    for (const store of [w.store, phone]) {
      const views = sortedMessages((await store.find<PageDoc>(w.page)).doc());
      const answers = views.filter((m) => m.answers !== undefined);
      expect(answers).toHaveLength(1);
      const chosen = views.find((m) => m.id === w.reply)!.chosen!;
      // Whichever write won, the choice and the answer the agent gets agree.
      expect(answers[0]!.answers!.value).toBe(chosen.value);
      expect(answers[0]!.id).toBe(chosen.answer);
    }
  });
});
