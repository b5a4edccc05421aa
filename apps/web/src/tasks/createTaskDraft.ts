import type { TaskView } from "@botschat/model";
import { type Accessor, createComputed, createSignal, on } from "solid-js";
import { createStore } from "solid-js/store";

/** The fields a person edits on a task page (`model` "" is the gateway's default). */
export interface TaskFieldValues {
  name: string;
  prompt: string;
  schedule: string;
  timezone: string;
  model: string;
}

const FIELDS = ["name", "prompt", "schedule", "timezone", "model"] as const;
type Field = (typeof FIELDS)[number];

/** The values a task view shows in the form. */
export function fieldsOf(t: TaskView): TaskFieldValues {
  return { name: t.name, prompt: t.prompt, schedule: t.schedule, timezone: t.timezone, model: t.model ?? "" };
}

/** A task page's form over a live task: what the person changed, and what changed under them. */
export interface TaskDraft {
  values: TaskFieldValues;
  set(field: Field, value: string): void;
  dirty(field: Field): boolean;
  /** The fields the person changed, with their new values. */
  changes(): Partial<TaskFieldValues>;
  /** Heads of the task document the prompt's edits start from (they merge with edits made since). */
  base(): string[] | undefined;
  /** Another device changed a field the person is editing too: their edit wins on Save (the prompt merges). */
  changedElsewhere: Accessor<boolean>;
  /** Everything the person changed was saved: the form follows the document again. */
  saved(): void;
  /** Drops the person's changes. */
  discard(): void;
}

/**
 * The form of a task page. Fields the person has not touched follow the document as other devices
 * change it; touched ones keep what the person typed. Save sends only the touched fields (the
 * others stay as whoever set them last), and the prompt with the heads it was edited from, so
 * edits on several devices merge instead of one erasing the other.
 */
export function createTaskDraft(task: Accessor<TaskView | undefined>, initial: TaskFieldValues): TaskDraft {
  const [values, setValues] = createStore<TaskFieldValues>({ ...initial });
  const [baseValues, setBaseValues] = createStore<TaskFieldValues>({ ...initial });
  const [changedElsewhere, setChangedElsewhere] = createSignal(false);
  let heads: string[] | undefined;

  const follow = (t: TaskView | undefined): void => {
    if (t === undefined) return;
    const fresh = fieldsOf(t);
    for (const k of FIELDS) {
      if (values[k] === baseValues[k]) {
        setValues(k, fresh[k]);
        setBaseValues(k, fresh[k]);
      } else if (fresh[k] !== baseValues[k]) setChangedElsewhere(true);
    }
    if (values.prompt === baseValues.prompt) heads = t.heads;
  };
  // Before the form renders, so a task already here never shows as empty fields first.
  createComputed(on(task, follow));

  const dirty = (k: Field): boolean => values[k] !== baseValues[k];
  return {
    values,
    set: (k, v) => setValues(k, v),
    dirty,
    changes: () => Object.fromEntries(FIELDS.filter(dirty).map((k) => [k, values[k]])) as Partial<TaskFieldValues>,
    base: () => heads,
    changedElsewhere,
    saved: () => {
      setBaseValues({ ...values });
      setChangedElsewhere(false);
      follow(task());
    },
    discard: () => {
      setValues({ ...baseValues });
      setChangedElsewhere(false);
      follow(task());
    },
  };
}
