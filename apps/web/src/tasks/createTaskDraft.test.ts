import type { TaskView } from "@botschat/model";
import { createRoot, createSignal } from "solid-js";
import { describe, expect, it } from "vitest";
import { createTaskDraft } from "./createTaskDraft.js";

const view = (over: Partial<TaskView>): TaskView =>
  ({
    id: "t1",
    channel: "c1",
    channelDoc: "doc-c1",
    name: "Digest",
    schedule: "at 09:00",
    timezone: "UTC",
    prompt: "Summarise the news",
    agentId: "main",
    enabled: true,
    revision: 1,
    pendingApply: false,
    pendingRuns: 0,
    createdAt: 0,
    heads: ["h1"],
    ...over,
  }) as TaskView;

const blank = { name: "", prompt: "", schedule: "at 09:00", timezone: "UTC", model: "" };

describe("createTaskDraft", () => {
  it("follows the task while untouched; keeps what the person typed, with the heads they started from, when others change it", () =>
    createRoot((dispose) => {
      const [task, setTask] = createSignal<TaskView | undefined>(view({}));
      const draft = createTaskDraft(task, blank);
      expect(draft.values.prompt).toBe("Summarise the news");
      expect(draft.changes()).toEqual({});
      expect(draft.base()).toEqual(["h1"]);

      draft.set("prompt", "Please summarise the news");
      setTask(view({ prompt: "Summarise the news in French", name: "Daily digest", heads: ["h2"] }));
      // The untouched name follows; the prompt stays as typed, and its edit still starts from h1.
      expect(draft.values.name).toBe("Daily digest");
      expect(draft.values.prompt).toBe("Please summarise the news");
      expect(draft.changes()).toEqual({ prompt: "Please summarise the news" });
      expect(draft.base()).toEqual(["h1"]);
      expect(draft.changedElsewhere()).toBe(true);

      // Saved: the merged prompt arrives and the form follows the task again.
      draft.saved();
      setTask(view({ prompt: "Please summarise the news in French", heads: ["h3"] }));
      expect(draft.values.prompt).toBe("Please summarise the news in French");
      expect(draft.changes()).toEqual({});
      expect(draft.base()).toEqual(["h3"]);
      expect(draft.changedElsewhere()).toBe(false);
      dispose();
    }));

  it("drops the person's changes on discard and shows the task as it is now", () =>
    createRoot((dispose) => {
      const [task, setTask] = createSignal<TaskView | undefined>(view({}));
      const draft = createTaskDraft(task, blank);
      draft.set("schedule", "every 5m");
      draft.set("model", "demo/smart");
      setTask(view({ schedule: "at 10:00" }));
      expect(draft.changes()).toEqual({ schedule: "every 5m", model: "demo/smart" });
      draft.discard();
      expect(draft.values.schedule).toBe("at 10:00");
      expect(draft.values.model).toBe("");
      expect(draft.changes()).toEqual({});
      dispose();
    }));
});
