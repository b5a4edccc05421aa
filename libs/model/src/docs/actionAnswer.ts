import type { ActionBlockInput, FormFieldInput } from "./ActionBlockInput.js";
import { ACTION_LIMITS } from "./validActionBlock.js";

/** The values of a submitted form, by field name: text and select as strings, numbers, checkboxes as booleans. */
export type FormValues = Record<string, string | number | boolean>;

/** A person's answer on a block: the value the agent gets and the words the chat shows. */
export type ActionAnswerResult = { ok: true; value: string; label: string } | { ok: false; reason: string };

/** A form's values checked against its fields, or what is wrong with each field that is wrong. */
export type FormAnswerResult = { ok: true; value: string; label: string; values: FormValues } | { ok: false; problems: Record<string, string> };

type Form = Extract<ActionBlockInput, { kind: "form" }>;
type Cards = Extract<ActionBlockInput, { kind: "cards" }>;

/**
 * Checks a person's answer on a (valid) block and gives what is recorded: for buttons, select
 * and radio an option's value with its label (`label` may override the words of buttons and
 * select, as the person saw them); a confirm's `confirm` or `cancel`; an input's text; a card's
 * value, or for `multiple` cards a JSON array of values ({@link cardsValue}); a form's values as
 * one JSON object ({@link formAnswer}). The value is given back in one canonical form, so the
 * agent reads the same whatever device answered.
 */
export function answerOf(block: ActionBlockInput, value: string, label?: string): ActionAnswerResult {
  switch (block.kind) {
    case "buttons":
    case "select":
    case "radio": {
      const option = block.options.find((o) => o.value === value);
      if (option === undefined) return { ok: false, reason: `no option ${value} in block ${block.id}` };
      return { ok: true, value, label: block.kind === "radio" ? option.label : (label ?? option.label) };
    }
    case "confirm":
    case "input": {
      if (value.trim() === "" || value.length > ACTION_LIMITS.textChars)
        return { ok: false, reason: `an answer of 1 to ${ACTION_LIMITS.textChars} characters` };
      return { ok: true, value, label: label ?? value };
    }
    case "cards":
      return cardsAnswer(block, value);
    case "form": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        return { ok: false, reason: "a form's answer is a JSON object" };
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { ok: false, reason: "a form's answer is a JSON object" };
      const checked = formAnswer(block, parsed as Record<string, unknown>);
      if (checked.ok) return { ok: true, value: checked.value, label: checked.label };
      return {
        ok: false,
        reason: Object.entries(checked.problems)
          .map(([name, problem]) => `${name}: ${problem}`)
          .join("; "),
      };
    }
    default: {
      const never: never = block;
      return { ok: false, reason: `unknown block ${JSON.stringify(never)}` };
    }
  }
}

/** The value a choice of several cards is sent as: their values in the cards' order, as a JSON array. */
export function cardsValue(block: Cards, values: readonly string[]): string {
  return JSON.stringify(block.cards.filter((c) => values.includes(c.value)).map((c) => c.value));
}

/** The values of the cards a recorded answer chose (one for a single choice, several for `multiple`). */
export function chosenCards(block: Cards, value: string): string[] {
  if (block.multiple !== true) return [value];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

/** The values a recorded form answer holds ({} if it cannot be read). */
export function chosenForm(value: string): FormValues {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === "string" || typeof v === "number" || typeof v === "boolean")) as FormValues;
  } catch {
    return {};
  }
}

/**
 * Checks what a person entered in a form — strings as typed (numbers too), booleans for
 * checkboxes — against its fields: required fields filled (a required checkbox checked), text
 * within its length, numbers within their bounds, a select's value one of its options. Empty
 * optional fields are left out; a checkbox is always in, true or false. The value is the JSON
 * object of the values, the label one line per field ("Name: Apollo").
 */
export function formAnswer(block: Form, input: Readonly<Record<string, unknown>>): FormAnswerResult {
  const values: [string, string | number | boolean][] = [];
  const lines: string[] = [];
  const problems: [string, string][] = [];
  for (const field of block.fields) {
    // Only what was entered: a name like "toString" must not read what every object has.
    const checked = fieldValue(field, Object.hasOwn(input, field.name) ? input[field.name] : undefined);
    if (typeof checked === "object") {
      problems.push([field.name, checked.problem]);
      continue;
    }
    if (checked === undefined) continue;
    values.push([field.name, checked]);
    lines.push(`${field.label}: ${shown(field, checked)}`);
  }
  if (problems.length > 0) return { ok: false, problems: Object.fromEntries(problems) };
  const out: FormValues = Object.fromEntries(values);
  return { ok: true, value: JSON.stringify(out), label: lines.length > 0 ? lines.join("\n") : "(nothing entered)", values: out };
}

function cardsAnswer(block: Cards, value: string): ActionAnswerResult {
  if (block.multiple !== true) {
    const card = block.cards.find((c) => c.value === value);
    return card === undefined ? { ok: false, reason: `no card ${value} in block ${block.id}` } : { ok: true, value, label: card.title };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { ok: false, reason: "a choice of several cards is a JSON array of their values" };
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((v) => typeof v === "string")) {
    return { ok: false, reason: "a choice of several cards is a non-empty JSON array of their values" };
  }
  const unknown = parsed.find((v) => !block.cards.some((c) => c.value === v));
  if (unknown !== undefined) return { ok: false, reason: `no card ${unknown} in block ${block.id}` };
  const chosen = block.cards.filter((c) => parsed.includes(c.value));
  return { ok: true, value: JSON.stringify(chosen.map((c) => c.value)), label: chosen.map((c) => c.title).join(", ") };
}

/** A field's value, undefined when an optional field is empty, or what is wrong with it. */
function fieldValue(field: FormFieldInput, raw: unknown): string | number | boolean | undefined | { problem: string } {
  const required = field.required === true;
  switch (field.type) {
    case "checkbox":
      if (raw !== undefined && typeof raw !== "boolean") return { problem: "Yes or no." };
      if (required && raw !== true) return { problem: "Required." };
      return raw === true;
    case "text": {
      if (raw !== undefined && typeof raw !== "string") return { problem: "Text." };
      const text = (raw ?? "").trim();
      if (text === "") return required ? { problem: "Required." } : undefined;
      const max = field.maxLength ?? ACTION_LIMITS.textChars;
      return text.length <= max ? text : { problem: `At most ${max} characters.` };
    }
    case "number": {
      if (raw === undefined || (typeof raw === "string" && raw.trim() === "")) return required ? { problem: "Required." } : undefined;
      const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw.trim()) : Number.NaN;
      if (!Number.isFinite(n)) return { problem: "A number." };
      if (field.min !== undefined && n < field.min) return { problem: `At least ${field.min}.` };
      if (field.max !== undefined && n > field.max) return { problem: `At most ${field.max}.` };
      return n;
    }
    case "select": {
      if (raw === undefined || raw === "") return required ? { problem: "Required." } : undefined;
      return typeof raw === "string" && field.options.some((o) => o.value === raw) ? raw : { problem: "Not one of the choices." };
    }
  }
}

function shown(field: FormFieldInput, v: string | number | boolean): string {
  if (field.type === "checkbox") return v === true ? "yes" : "no";
  if (field.type === "select") return field.options.find((o) => o.value === v)?.label ?? String(v);
  return String(v);
}
