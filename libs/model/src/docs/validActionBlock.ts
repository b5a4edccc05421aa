import type { ActionBlockInput, CardInput, FormFieldInput, OptionInput, RadioOptionInput } from "./ActionBlockInput.js";
import { safeImageUrl } from "./safeImageUrl.js";

/** How much an action block may hold; a block over any bound is shown as text instead. */
export const ACTION_LIMITS = {
  /** Blocks on one message. */
  blocks: 8,
  idChars: 64,
  promptChars: 500,
  /** An option's or field's label, a card's title. */
  labelChars: 120,
  /** An option's or card's value. */
  valueChars: 200,
  descriptionChars: 300,
  placeholderChars: 120,
  /** The words on a submit, confirm or cancel button. */
  buttonChars: 40,
  /** Options of a buttons, select or radio block, or of a form's select field. */
  options: 20,
  cards: 12,
  fields: 12,
  /** What a form's text field or an input block takes, at most (a field's `maxLength` may lower it). */
  textChars: 2000,
  /** One block as JSON, images included. */
  blockChars: 128 * 1024,
} as const;

/** A form field's name: a key of the submitted JSON value, never one every object already has. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,39}$/;
const RESERVED_NAMES = new Set(["__proto__", "constructor", "prototype"]);

const STYLES = new Set(["primary", "danger", "default"]);

/** Thrown inside the checks below; caught by {@link validActionBlock}. */
class Invalid extends Error {}

/**
 * The block if it is well-formed and within {@link ACTION_LIMITS}, as a clean copy holding only
 * the fields its kind knows (labels and prompts trimmed, an image that is not safe dropped);
 * otherwise undefined. Used on what an agent writes and again on what a device reads, since a
 * document may hold whatever a peer put there.
 */
export function validActionBlock(raw: unknown): ActionBlockInput | undefined {
  try {
    const block = check(raw);
    return JSON.stringify(block).length <= ACTION_LIMITS.blockChars ? block : undefined;
  } catch (e) {
    if (e instanceof Invalid) return undefined;
    throw e;
  }
}

function check(raw: unknown): ActionBlockInput {
  const r = record(raw);
  const id = value(r["id"], ACTION_LIMITS.idChars);
  const prompt = optText(r["prompt"], ACTION_LIMITS.promptChars);
  const submitLabel = optText(r["submitLabel"], ACTION_LIMITS.buttonChars);
  switch (r["kind"]) {
    case "buttons":
      return clean({ kind: "buttons", id, prompt, options: options(r["options"], option) });
    case "select":
      return clean({
        kind: "select",
        id,
        prompt,
        options: options(r["options"], option),
        placeholder: optText(r["placeholder"], ACTION_LIMITS.placeholderChars),
      });
    case "confirm":
      return clean({
        kind: "confirm",
        id,
        prompt: text(r["prompt"], ACTION_LIMITS.promptChars),
        confirmLabel: optText(r["confirmLabel"], ACTION_LIMITS.buttonChars),
        cancelLabel: optText(r["cancelLabel"], ACTION_LIMITS.buttonChars),
      });
    case "input":
      return clean({ kind: "input", id, prompt, placeholder: optText(r["placeholder"], ACTION_LIMITS.placeholderChars), submitLabel });
    case "radio":
      return clean({ kind: "radio", id, prompt, options: options(r["options"], radioOption), submitLabel });
    case "cards":
      return clean({ kind: "cards", id, prompt, cards: cards(r["cards"]), multiple: optFlag(r["multiple"]), submitLabel });
    case "form":
      return clean({ kind: "form", id, prompt, fields: fields(r["fields"]), submitLabel });
    default:
      throw new Invalid();
  }
}

function option(raw: unknown): OptionInput {
  const r = record(raw);
  const style = typeof r["style"] === "string" && STYLES.has(r["style"]) ? (r["style"] as OptionInput["style"]) : undefined;
  return clean({ value: value(r["value"], ACTION_LIMITS.valueChars), label: text(r["label"], ACTION_LIMITS.labelChars), style });
}

function radioOption(raw: unknown): RadioOptionInput {
  const r = record(raw);
  return clean({
    value: value(r["value"], ACTION_LIMITS.valueChars),
    label: text(r["label"], ACTION_LIMITS.labelChars),
    description: optText(r["description"], ACTION_LIMITS.descriptionChars),
  });
}

/** Between one and {@link ACTION_LIMITS.options} options, no value twice. */
function options<T extends { value: string }>(raw: unknown, one: (o: unknown) => T): T[] {
  return distinct(list(raw, ACTION_LIMITS.options).map(one), (o) => o.value);
}

function cards(raw: unknown): CardInput[] {
  const out = list(raw, ACTION_LIMITS.cards).map((c): CardInput => {
    const r = record(c);
    const image = safeImageUrl(r["image"]);
    return clean({
      value: value(r["value"], ACTION_LIMITS.valueChars),
      title: text(r["title"], ACTION_LIMITS.labelChars),
      description: optText(r["description"], ACTION_LIMITS.descriptionChars),
      image,
      imageAlt: image === undefined ? undefined : optText(r["imageAlt"], ACTION_LIMITS.descriptionChars),
    });
  });
  return distinct(out, (c) => c.value);
}

function fields(raw: unknown): FormFieldInput[] {
  const out = list(raw, ACTION_LIMITS.fields).map((f): FormFieldInput => {
    const r = record(f);
    if (typeof r["name"] !== "string" || !FIELD_NAME.test(r["name"]) || RESERVED_NAMES.has(r["name"])) throw new Invalid();
    const base = { name: r["name"], label: text(r["label"], ACTION_LIMITS.labelChars), required: optFlag(r["required"]) };
    switch (r["type"]) {
      case "text": {
        const maxLength = optNumber(r["maxLength"]);
        if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > ACTION_LIMITS.textChars)) throw new Invalid();
        return clean({ type: "text", ...base, placeholder: optText(r["placeholder"], ACTION_LIMITS.placeholderChars), maxLength });
      }
      case "number": {
        const min = optNumber(r["min"]);
        const max = optNumber(r["max"]);
        const step = optNumber(r["step"]);
        if (min !== undefined && max !== undefined && min > max) throw new Invalid();
        if (step !== undefined && step <= 0) throw new Invalid();
        return clean({ type: "number", ...base, min, max, step });
      }
      case "select":
        return clean({ type: "select", ...base, options: options(r["options"], option) });
      case "checkbox":
        return clean({ type: "checkbox", ...base });
      default:
        throw new Invalid();
    }
  });
  return distinct(out, (f) => f.name);
}

function record(raw: unknown): Record<string, unknown> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Invalid();
  return raw as Record<string, unknown>;
}

function list(raw: unknown, max: number): unknown[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > max) throw new Invalid();
  return raw;
}

function distinct<T>(items: T[], key: (t: T) => string): T[] {
  if (new Set(items.map(key)).size !== items.length) throw new Invalid();
  return items;
}

/** A value the agent gets back: kept as written, not empty. */
function value(raw: unknown, max: number): string {
  if (typeof raw !== "string" || raw.trim() === "" || raw.length > max) throw new Invalid();
  return raw;
}

/** Words a person reads: trimmed, not empty. */
function text(raw: unknown, max: number): string {
  if (typeof raw !== "string") throw new Invalid();
  const t = raw.trim();
  if (t === "" || t.length > max) throw new Invalid();
  return t;
}

function optText(raw: unknown, max: number): string | undefined {
  if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) return undefined;
  return text(raw, max);
}

function optFlag(raw: unknown): true | undefined {
  if (raw === undefined || raw === null || raw === false) return undefined;
  if (raw === true) return true;
  throw new Invalid();
}

function optNumber(raw: unknown): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "number" || !Number.isFinite(raw)) throw new Invalid();
  return raw;
}

/** Without the keys whose value is undefined (a document cannot hold undefined). */
function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
