/** One option of a buttons or select block, or of a form's select field. */
export interface OptionInput {
  value: string;
  label: string;
  style?: "primary" | "danger" | "default";
}

/** One option of a radio group. */
export interface RadioOptionInput {
  value: string;
  label: string;
  description?: string;
}

/** One card of a cards block. */
export interface CardInput {
  value: string;
  title: string;
  description?: string;
  /** An `https:` or small `data:image/` URL; any other is dropped (`safeImageUrl`). */
  image?: string;
  imageAlt?: string;
}

/** One field of a form, as an agent writes it. */
export type FormFieldInput =
  | { type: "text"; name: string; label: string; required?: boolean; placeholder?: string; maxLength?: number }
  | { type: "number"; name: string; label: string; required?: boolean; min?: number; max?: number; step?: number }
  | { type: "select"; name: string; label: string; required?: boolean; options: readonly OptionInput[] }
  | { type: "checkbox"; name: string; label: string; required?: boolean };

/** An action block as an agent writes it (and as a UI reads it back). */
export type ActionBlockInput =
  | { kind: "buttons"; id: string; prompt?: string; options: readonly OptionInput[] }
  | { kind: "confirm"; id: string; prompt: string; confirmLabel?: string; cancelLabel?: string }
  | { kind: "select"; id: string; prompt?: string; options: readonly OptionInput[]; placeholder?: string }
  | { kind: "input"; id: string; prompt?: string; placeholder?: string; submitLabel?: string }
  | { kind: "radio"; id: string; prompt?: string; options: readonly RadioOptionInput[]; submitLabel?: string }
  | { kind: "cards"; id: string; prompt?: string; cards: readonly CardInput[]; multiple?: boolean; submitLabel?: string }
  | { kind: "form"; id: string; prompt?: string; fields: readonly FormFieldInput[]; submitLabel?: string };
