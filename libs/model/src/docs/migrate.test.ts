import * as A from "@automerge/automerge";
import { describe, expect, it } from "vitest";
import { checkSchema, migrate, migrateHandle, MIGRATIONS, type MigrationRegistry, SchemaCheck } from "./migrate.js";
import { imm, str, toPlain } from "./Imm.js";
import { MemoryDocStore } from "./MemoryDocStore.js";
import { rootInitial } from "./RootDoc.js";

/** A registry where schema 0 of a page kept its messages in a list, and schema 1 in a map by id. */
const listToMap: MigrationRegistry = {
  versions: { ...MIGRATIONS.versions, session: 1 },
  steps: {
    ...MIGRATIONS.steps,
    session: {
      0: (doc) => {
        const list = doc.log as { id: { val: string }; text: unknown }[];
        const messages: Record<string, unknown> = {};
        for (const m of list) messages[m.id.val] = { id: imm(m.id.val), text: imm(str(m.text as never) ?? "") };
        doc.messages = messages;
        delete doc.log;
      },
    },
  },
};

describe("migrate", () => {
  it("runs a v0 → v1 step inside a change and records the new schema", () => {
    let doc = A.from<Record<string, unknown>>({
      type: imm("session"),
      log: [{ id: imm("m1"), text: imm("hello") }],
    });
    expect(checkSchema(doc, listToMap)).toBe(SchemaCheck.outdated);
    let passed: number[] = [];
    doc = A.change(doc, (d) => {
      passed = migrate(d, listToMap);
    });
    expect(passed).toEqual([0]);
    expect(doc.schema).toBe(1);
    expect(toPlain(A.toJS(doc))).toMatchObject({ messages: { m1: { text: "hello" } } });
    expect("log" in doc).toBe(false);
    expect(checkSchema(doc, listToMap)).toBe(SchemaCheck.current);
  });

  it("fails loudly when a step is missing", () => {
    const registry: MigrationRegistry = { ...MIGRATIONS, versions: { ...MIGRATIONS.versions, root: 3 } };
    const doc = A.from<Record<string, unknown>>({ type: imm("root"), schema: 1 });
    expect(() => A.change(doc, (d) => void migrate(d, registry))).toThrow(/no step from root schema 1/);
  });

  it("tells current, too-new and unknown documents apart", () => {
    expect(checkSchema(rootInitial())).toBe(SchemaCheck.current);
    expect(checkSchema({ type: imm("root"), schema: 2 })).toBe(SchemaCheck.tooNew);
    expect(checkSchema({ type: imm("nonsense"), schema: 1 })).toBe(SchemaCheck.unknown);
    expect(checkSchema(null)).toBe(SchemaCheck.unknown);
  });

  it("migrates a handle in place only when it is outdated", async () => {
    const store = new MemoryDocStore();
    const handle = store.create<Record<string, unknown>>({ type: imm("session"), log: [{ id: imm("a"), text: imm("x") }] });
    expect(migrateHandle(handle, listToMap)).toBe(SchemaCheck.outdated);
    expect(handle.doc().schema).toBe(1);
    const heads = A.getHeads(handle.doc());
    expect(migrateHandle(handle, listToMap)).toBe(SchemaCheck.current);
    expect(A.getHeads(handle.doc())).toEqual(heads);
  });
});
