import { describe, expect, it } from "vitest";
import { ROOT_DOC_ID } from "../docs/deriveDocumentId.js";
import type { RootDoc } from "../docs/RootDoc.js";
import { guideOf, updateGuide } from "./guideOps.js";
import { testWorkspace } from "./testWorkspace.js";

async function workspace() {
  const w = await testWorkspace();
  const root = async (): Promise<RootDoc> => (await w.store.find<RootDoc>(ROOT_DOC_ID)).doc();
  return { ...w, root };
}

describe("the first-run guide's progress", () => {
  it("is absent in a root the guide never wrote", async () => {
    const w = await workspace();
    expect(guideOf(await w.root())).toBeUndefined();
  });

  it("keeps the one pairing token it made, with its secret until a gateway connected with it", async () => {
    const w = await workspace();
    expect(await updateGuide(w.store, w.me, { token: { id: "tok_1", secret: "bc_pat_one", name: " Home gateway " }, agent: "demo" })).toBe(true);
    expect(guideOf(await w.root())).toEqual({
      token: { id: "tok_1", secret: "bc_pat_one", name: "Home gateway", createdAt: expect.any(Number) },
      agent: "demo",
    });

    // A second token (another device, a reload that raced) is not kept: the caller revokes it.
    expect(await updateGuide(w.store, w.me, { token: { id: "tok_2", secret: "bc_pat_two", name: "Other" } })).toBe(false);
    expect(guideOf(await w.root())?.token?.id).toBe("tok_1");

    await updateGuide(w.store, w.me, { forgetSecret: true, agent: "openclaw" });
    expect(guideOf(await w.root())).toEqual({ token: { id: "tok_1", name: "Home gateway", createdAt: expect.any(Number) }, agent: "openclaw" });
    // Forgetting the secret does not let a second token in.
    expect(await updateGuide(w.store, w.me, { token: { id: "tok_3", secret: "bc_pat_three", name: "Home" } })).toBe(false);
  });

  it("is finished once, at the first time it was put away", async () => {
    const w = await workspace();
    let now = 1000;
    const me = { ...w.me, now: () => now };
    await updateGuide(w.store, me, { finished: true });
    now = 2000;
    await updateGuide(w.store, me, { finished: true });
    expect(guideOf(await w.root())).toEqual({ finished: 1000 });
  });

  it("refuses a nameless token or an unknown way to connect, writing nothing", async () => {
    const w = await workspace();
    await expect(updateGuide(w.store, w.me, { token: { id: "tok_1", secret: "bc_pat_one", name: "  " } })).rejects.toThrow(/name/);
    await expect(updateGuide(w.store, w.me, { agent: "telnet" as never })).rejects.toThrow(/telnet/);
    expect(guideOf(await w.root())).toBeUndefined();
  });
});
