import { describe, expect, it } from "vitest";
import { commandOf, oneLine, SLASH_COMMANDS, usageOf } from "./slashCommands.js";

describe("slash commands", () => {
  it("a command is one line starting with / and a letter, its spaces collapsed", () => {
    expect(commandOf(" /model   demo/fast ")).toBe("/model demo/fast");
    expect(commandOf("/help")).toBe("/help");
    expect(commandOf("/ help")).toBeUndefined();
    expect(commandOf("//")).toBeUndefined();
    expect(commandOf("hello /help")).toBeUndefined();
    expect(commandOf("/help\nplease")).toBeUndefined();
    expect(commandOf(`/${"a".repeat(79)}`)).toHaveLength(80);
    expect(commandOf(`/${"a".repeat(80)}`)).toBeUndefined();
  });

  it("/help's list names each command with its arguments", () => {
    expect(SLASH_COMMANDS.map(usageOf)).toEqual(["/help", "/model", "/model <id>", "/skills"]);
  });

  it("oneLine joins lines and cuts at a character with an ellipsis", () => {
    expect(oneLine(" a\n b  c ", 10)).toBe("a b c");
    expect(oneLine("😀😀😀😀", 3)).toBe("😀😀…");
  });
});
