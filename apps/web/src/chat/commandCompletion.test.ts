import { describe, expect, it } from "vitest";
import { barCommands, commandOptions, completeCommand, OPTIONS_SHOWN } from "./commandCompletion.js";

const gateway = {
  models: [{ id: "demo/fast", name: "Demo Fast" }, { id: "demo/smart", name: "Demo Smart" }, { id: "local/llama" }],
  skills: [
    { name: "web_search", description: "Searches the web." },
    { name: "two words", description: "Cannot be typed." },
    { name: "help", description: "A skill named like a command." },
  ],
};
const texts = (options: { text: string }[]) => options.map((o) => o.text);

describe("commandOptions", () => {
  it("lists the commands, /model with each of the gateway's models, then the skills that can be typed", () => {
    const options = commandOptions(gateway, "demo/smart");
    expect(texts(options)).toEqual(["/help", "/model", "/model demo/fast", "/model demo/smart", "/model local/llama", "/skills", "/web_search"]);
    expect(options.find((o) => o.text === "/model demo/fast")!.description).toBe("Switches this session to Demo Fast.");
    expect(options.find((o) => o.text === "/model demo/smart")!.description).toBe("Demo Smart: this session's model.");
    expect(options.find((o) => o.text === "/model local/llama")!.description).toBe("Switches this session to local/llama.");
    expect(options.find((o) => o.text === "/help")!.description).toBe("Shows these commands.");
  });

  it("without a gateway: the commands alone", () => {
    expect(texts(commandOptions(undefined))).toEqual(["/help", "/model", "/skills"]);
  });
});

describe("completeCommand", () => {
  const options = commandOptions(gateway);

  it("suggests nothing unless the text is one line starting with /", () => {
    expect(completeCommand("", options)).toEqual([]);
    expect(completeCommand("hello /", options)).toEqual([]);
    expect(completeCommand(" /help", options)).toEqual([]);
    expect(completeCommand("/help\n", options)).toEqual([]);
  });

  it("/ alone suggests everything; what follows filters by the start, whatever its case", () => {
    expect(completeCommand("/", options)).toEqual(options);
    expect(texts(completeCommand("/mo", options))).toEqual(["/model", "/model demo/fast", "/model demo/smart", "/model local/llama"]);
    expect(texts(completeCommand("/MODEL DEMO/F", options))).toEqual(["/model demo/fast"]);
    expect(texts(completeCommand("/s", options))).toEqual(["/skills", "/model demo/smart", "/web_search"]);
    expect(completeCommand("/nothing", options)).toEqual([]);
  });

  it("after those that begin with the text, those with a word that does (/fast finds /model demo/fast)", () => {
    expect(texts(completeCommand("/fast", options))).toEqual(["/model demo/fast"]);
    expect(texts(completeCommand("/search", options))).toEqual(["/web_search"]);
  });

  it("shows at most OPTIONS_SHOWN", () => {
    const many = commandOptions({ models: Array.from({ length: 80 }, (_, i) => ({ id: `m/${i}` })) });
    expect(completeCommand("/", many)).toHaveLength(OPTIONS_SHOWN);
  });
});

describe("barCommands", () => {
  it("keeps the order of use and at most six", () => {
    const uses = ["/help", "/model demo/fast", "/skills", "/a", "/b", "/c", "/d"].map((command) => ({ command }));
    expect(barCommands(uses)).toEqual(["/help", "/model demo/fast", "/skills", "/a", "/b", "/c"]);
    expect(barCommands(undefined)).toEqual([]);
  });
});
