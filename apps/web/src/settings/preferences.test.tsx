import type { GatewayId, GatewayView, ModelId } from "@botschat/model";
import { fireEvent, render, screen } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { describe, expect, it, vi } from "vitest";
import { makeTheme } from "../ui/theme.js";
import { AppearanceSection } from "./AppearanceSection.js";
import { ModelsSection } from "./ModelsSection.js";

const home = {
  id: "gw1",
  name: "Home gateway",
  agents: [],
  models: [{ id: "demo/fast", name: "Fast" }, { id: "demo/smart" }],
  defaultModel: "demo/smart",
  lastSeen: 1,
} as unknown as GatewayView;
const bare = { id: "gw2", name: "Bare gateway", agents: [], models: [], lastSeen: 1 } as unknown as GatewayView;
const retired = { ...home, id: "gw3", name: "Old gateway", retired: 5 } as unknown as GatewayView;

describe("Settings › Models", () => {
  it("offers each gateway's models, the gateway's own default first, and says the choice", () => {
    const onChoose = vi.fn();
    const [chosen, setChosen] = createSignal<Partial<Record<GatewayId, ModelId>>>({});
    render(() => <ModelsSection gateways={[home, bare, retired]} chosen={chosen()} onChoose={onChoose} />);
    const select = screen.getByRole("combobox", { name: "Default model for Home gateway" }) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(["The gateway's default (demo/smart)", "Fast", "demo/smart"]);
    expect(select.value).toBe("");
    expect(screen.getByText("This gateway publishes no models to choose from.")).toBeInTheDocument();
    expect(screen.queryByRole("combobox", { name: "Default model for Old gateway" })).toBeNull();

    fireEvent.change(select, { target: { value: "demo/fast" } });
    expect(onChoose).toHaveBeenLastCalledWith("gw1", "demo/fast");
    fireEvent.change(select, { target: { value: "" } });
    expect(onChoose).toHaveBeenLastCalledWith("gw1", null);

    setChosen({ ["gw1" as GatewayId]: "demo/fast" as ModelId });
    expect(select.value).toBe("demo/fast");
    setChosen({ ["gw1" as GatewayId]: "demo/gone" as ModelId });
    expect(select.value).toBe("");
    expect(screen.getByText(/demo\/gone was chosen, but the gateway no longer offers it: sessions use demo\/smart/)).toBeInTheDocument();
  });

  it("with no gateway yet, says so", () => {
    render(() => <ModelsSection gateways={[]} chosen={{}} onChoose={() => {}} />);
    expect(screen.getByText(/^No agent is paired with this workspace/)).toBeInTheDocument();
  });
});

describe("Settings › Appearance", () => {
  it("the theme is a choice of three, and choosing one draws it", () => {
    localStorage.clear();
    render(() => {
      const theme = makeTheme();
      return <AppearanceSection theme={theme} />;
    });
    const group = screen.getByRole("group", { name: "Theme" });
    expect(group).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: "Follow the system" })).toBeChecked();
    fireEvent.click(screen.getByRole("radio", { name: "Dark" }));
    expect(document.documentElement.dataset["theme"]).toBe("dark");
    expect(screen.getByRole("radio", { name: "Dark" })).toBeChecked();
    fireEvent.click(screen.getByRole("radio", { name: "Light" }));
    expect(document.documentElement.dataset["theme"]).toBe("light");
    fireEvent.click(screen.getByRole("radio", { name: "Follow the system" }));
    expect(localStorage.getItem("botschat.theme")).toBeNull();
  });
});
