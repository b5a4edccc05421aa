import { describe, expect, it } from "vitest";
import { isMacPlatform, isTextTarget, matchShortcut, type ShortcutKey, shortcutList, sidebarOrder, stepChannel } from "./shortcuts.js";

const key = (k: string, mods: Partial<ShortcutKey> = {}): ShortcutKey => ({
  key: k,
  code: /^[a-z]$/i.test(k) ? `Key${k.toUpperCase()}` : "",
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});
const pc = { mac: false, typing: false };
const mac = { mac: true, typing: false };

describe("matchShortcut", () => {
  it("takes Ctrl on a PC and Cmd on a Mac as the command key", () => {
    expect(matchShortcut(key("k", { ctrlKey: true }), pc)).toBe("switcher");
    expect(matchShortcut(key("k", { metaKey: true }), pc)).toBeUndefined();
    expect(matchShortcut(key("k", { metaKey: true }), mac)).toBe("switcher");
    expect(matchShortcut(key("k", { ctrlKey: true }), mac)).toBeUndefined();
    expect(matchShortcut(key("O", { ctrlKey: true, shiftKey: true }), pc)).toBe("new-session");
    expect(matchShortcut(key("O", { metaKey: true, shiftKey: true }), mac)).toBe("new-session");
  });

  it("wants exactly the modifiers of each shortcut", () => {
    expect(matchShortcut(key("K", { ctrlKey: true, shiftKey: true }), pc)).toBeUndefined();
    expect(matchShortcut(key("k", { ctrlKey: true, altKey: true }), pc)).toBeUndefined();
    expect(matchShortcut(key("o", { ctrlKey: true }), pc)).toBeUndefined();
    expect(matchShortcut(key("k"), pc)).toBeUndefined();
    expect(matchShortcut(key("ArrowDown", { altKey: true, shiftKey: true }), pc)).toBeUndefined();
    expect(matchShortcut(key("ArrowDown", { altKey: true, ctrlKey: true }), pc)).toBeUndefined();
    expect(matchShortcut(key("ArrowDown"), pc)).toBeUndefined();
    expect(matchShortcut(key("Escape", { ctrlKey: true }), pc)).toBeUndefined();
  });

  it("reads a letter by its place when the layout types another script", () => {
    expect(matchShortcut({ ...key("л", { ctrlKey: true }), code: "KeyK" }, pc)).toBe("switcher");
  });

  it("moves between channels with Alt (Option) and the arrows", () => {
    expect(matchShortcut(key("ArrowUp", { altKey: true }), pc)).toBe("previous-channel");
    expect(matchShortcut(key("ArrowDown", { altKey: true }), mac)).toBe("next-channel");
  });

  it("keeps `?` a character in a text field, and lets the keys held with a modifier and Escape through", () => {
    expect(matchShortcut(key("?", { shiftKey: true }), pc)).toBe("help");
    expect(matchShortcut(key("?", { shiftKey: true }), { mac: false, typing: true })).toBeUndefined();
    expect(matchShortcut(key("k", { ctrlKey: true }), { mac: false, typing: true })).toBe("switcher");
    expect(matchShortcut(key("ArrowDown", { altKey: true }), { mac: false, typing: true })).toBe("next-channel");
    expect(matchShortcut(key("Escape"), { mac: false, typing: true })).toBe("close-thread");
  });

  it("ignores keys while an input method is composing", () => {
    expect(matchShortcut({ ...key("Escape"), isComposing: true }, pc)).toBeUndefined();
  });
});

describe("isMacPlatform", () => {
  it("prefers the user-agent data, then the platform", () => {
    expect(isMacPlatform({ userAgentData: { platform: "macOS" }, platform: "Linux x86_64" })).toBe(true);
    expect(isMacPlatform({ platform: "MacIntel" })).toBe(true);
    expect(isMacPlatform({ platform: "iPhone" })).toBe(true);
    expect(isMacPlatform({ userAgentData: { platform: "Windows" }, platform: "Win32" })).toBe(false);
    expect(isMacPlatform({ platform: "Linux x86_64" })).toBe(false);
    expect(isMacPlatform(undefined)).toBe(false);
  });
});

describe("isTextTarget", () => {
  it("tells text fields from other controls", () => {
    const input = document.createElement("input");
    const checkbox = Object.assign(document.createElement("input"), { type: "checkbox" });
    const editable = document.createElement("div");
    editable.setAttribute("contenteditable", "true");
    const inside = editable.appendChild(document.createElement("span"));
    expect(isTextTarget(input)).toBe(true);
    expect(isTextTarget(document.createElement("textarea"))).toBe(true);
    expect(isTextTarget(inside)).toBe(true);
    expect(isTextTarget(checkbox)).toBe(false);
    expect(isTextTarget(document.createElement("button"))).toBe(false);
    expect(isTextTarget(null)).toBe(false);
  });
});

describe("channel order", () => {
  const channels = [{ id: "a", archived: true }, { id: "b", archived: false }, { id: "c" }];

  it("lists the archived channels last, as the sidebar does", () => {
    expect(sidebarOrder(channels).map((c) => c.id)).toEqual(["b", "c", "a"]);
  });

  it("steps to the neighbour, and not past either end", () => {
    const order = sidebarOrder(channels);
    expect(stepChannel(order, "b", 1)?.id).toBe("c");
    expect(stepChannel(order, "c", -1)?.id).toBe("b");
    expect(stepChannel(order, "b", -1)).toBeUndefined();
    expect(stepChannel(order, "a", 1)).toBeUndefined();
    expect(stepChannel(order, "gone", 1)).toBeUndefined();
  });
});

describe("shortcutList", () => {
  it("names the command key of the platform, and always Ctrl for the Debug log", () => {
    expect(shortcutList(true)[0]!.keys).toEqual(["⌘", "K"]);
    expect(shortcutList(false)[0]!.keys).toEqual(["Ctrl", "K"]);
    expect(shortcutList(true).find((s) => s.does === "Debug log")?.keys).toEqual(["Ctrl", "`"]);
  });
});
