import type { Counter } from "@automerge/automerge";
import type { Imm } from "./Imm.js";
import type { BlobHash, DeviceId, DocumentId, GatewayId, MessageId, ModelId, RunId } from "./ids.js";

/** Who wrote a message. */
export const Role = { user: "user", agent: "agent", system: "system" } as const;
export type Role = (typeof Role)[keyof typeof Role];

/**
 * The lifecycle of a person's message: `pending` (written, nobody took it) → `received` (an
 * agent run claimed it) → `answered`, or `error` (with a reason) or `interrupted` (the run
 * stopped without an answer). `error` and `interrupted` go back to `pending` on retry.
 * Agent and system messages are `answered`. Derived from the message's runs by `messageStatus`.
 */
export const MessageStatus = {
  pending: "pending",
  received: "received",
  answered: "answered",
  error: "error",
  interrupted: "interrupted",
} as const;
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];

/** Which statuses may follow which. */
export const MESSAGE_STATUS_NEXT = {
  pending: ["received"],
  received: ["answered", "error", "interrupted"],
  answered: [],
  error: ["pending"],
  interrupted: ["pending"],
} as const satisfies Record<MessageStatus, readonly MessageStatus[]>;

/** What a run can end as (or `received` while it works). */
export type RunStatus = Exclude<MessageStatus, "pending">;

/**
 * One agent run's claim on a person's message, and how it ended. Runs are keyed by run id, so
 * claims from two agents that raced merge side by side; the winner is the non-superseded run of
 * the message's current attempt with the lowest `(at, runId)` (see `winningRun`).
 */
export interface RunRecord {
  runId: Imm<RunId>;
  /** The gateway that claimed. */
  by: Imm<GatewayId>;
  /** When it claimed (ms, the gateway's clock). */
  at: number;
  /** The message's `attempt` this run answers. */
  attempt: number;
  status: Imm<RunStatus>;
  /** The last time the run said it is still working (extends its lease). */
  renewedAt?: number;
  finishedAt?: number;
  /** Why it failed (`error`) or stopped (`interrupted`). */
  error?: Imm;
  /** Set by a run that took over after this run's lease ran out. */
  supersededBy?: Imm<RunId>;
}

/** An encrypted blob attached to a message (PROTOCOL [K7]). */
export interface MediaRef {
  /** The ciphertext's SHA-256 hex, the blob's name at the relay. */
  hash: Imm<BlobHash>;
  /** The blob key, base64url. */
  key: Imm;
  mime: Imm;
  name: Imm;
  size: number;
}

/** One choice of a `buttons` or `select` block. */
export interface ActionOption {
  value: Imm;
  label: Imm;
  style?: Imm<"primary" | "danger" | "default">;
}

/** One choice of a `radio` block: a label, and a line saying more about it. */
export interface RadioOption {
  value: Imm;
  label: Imm;
  description?: Imm;
}

/** One card of a `cards` block. The image is an `https:` or small `data:image/` URL (`safeImageUrl`). */
export interface ActionCard {
  value: Imm;
  title: Imm;
  description?: Imm;
  image?: Imm;
  /** What the image shows, for people who cannot see it. */
  imageAlt?: Imm;
}

/** The kinds of field a `form` block may have. */
export const FormFieldType = { text: "text", number: "number", select: "select", checkbox: "checkbox" } as const;
export type FormFieldType = (typeof FormFieldType)[keyof typeof FormFieldType];

/** One field of a `form` block; `name` is its key in the submitted value. */
export type FormField =
  | { type: Imm<"text">; name: Imm; label: Imm; required?: boolean; placeholder?: Imm; maxLength?: number }
  | { type: Imm<"number">; name: Imm; label: Imm; required?: boolean; min?: number; max?: number; step?: number }
  | { type: Imm<"select">; name: Imm; label: Imm; required?: boolean; options: ActionOption[] }
  | { type: Imm<"checkbox">; name: Imm; label: Imm; required?: boolean };

/** The kinds of interactive block an agent message may carry. */
export const ActionKind = {
  buttons: "buttons",
  confirm: "confirm",
  select: "select",
  input: "input",
  radio: "radio",
  cards: "cards",
  form: "form",
} as const;
export type ActionKind = (typeof ActionKind)[keyof typeof ActionKind];

/**
 * An interactive block on an agent message; the person's choice comes back as a user message.
 * A `cards` block with `multiple` and a `form` submit several values at once, as one JSON value
 * (`actionAnswer`).
 */
export type ActionBlock =
  | { kind: Imm<"buttons">; id: Imm; prompt?: Imm; options: ActionOption[] }
  | { kind: Imm<"confirm">; id: Imm; prompt: Imm; confirmLabel?: Imm; cancelLabel?: Imm }
  | { kind: Imm<"select">; id: Imm; prompt?: Imm; options: ActionOption[]; placeholder?: Imm }
  | { kind: Imm<"input">; id: Imm; prompt?: Imm; placeholder?: Imm; submitLabel?: Imm }
  | { kind: Imm<"radio">; id: Imm; prompt?: Imm; options: RadioOption[]; submitLabel?: Imm }
  | { kind: Imm<"cards">; id: Imm; prompt?: Imm; cards: ActionCard[]; multiple?: boolean; submitLabel?: Imm }
  | { kind: Imm<"form">; id: Imm; prompt?: Imm; fields: FormField[]; submitLabel?: Imm };

/** The choice a person made on an agent message's block (the first one written wins a race). */
export interface ChosenAction {
  block: Imm;
  value: Imm;
  label: Imm;
  by: Imm<DeviceId>;
  at: number;
  /** The user message that carries the choice to the agent. */
  answer: Imm<MessageId>;
}

/** On a user message that answers an action block: which block of which message. */
export interface ActionAnswer {
  message: Imm<MessageId>;
  block: Imm;
  value: Imm;
}

/** A short summary of a tool call an agent made while answering. */
export interface ToolSummary {
  name: Imm;
  summary: Imm;
}

/**
 * A message in a page or thread document, keyed by its id in the document's `messages` map.
 * All strings are `Imm` (write-once); a UI reads messages through `messageView`.
 */
export interface MessageRecord {
  id: Imm<MessageId>;
  role: Imm<Role>;
  text: Imm;
  /** ms since the epoch, the writer's clock. */
  createdAt: number;
  /** The device that wrote a user message. */
  author?: Imm<DeviceId>;
  /** The gateway that wrote an agent message. */
  gateway?: Imm<GatewayId>;
  /** The model asked for (user) or used (agent). */
  model?: Imm<ModelId>;
  /** The message this one replies to or quotes (an agent reply names the message it answers). */
  replyTo?: Imm<MessageId>;
  media?: MediaRef[];
  actions?: ActionBlock[];
  chosen?: ChosenAction;
  answers?: ActionAnswer;

  // Versions of a person's message: an edit, or a request for another answer (regenerate). Each
  // is a record of its own in the same document, keyed by a random id, so versions asked for on
  // several devices at once all stay, and agents claim and answer each like any message.
  /** The person's message this record is a version of (the first one written, never a version). */
  versionOf?: Imm<MessageId>;
  /** On a request for another answer: the message or edit whose text it asks about again. */
  regenerates?: Imm<MessageId>;

  // Person messages: what the agents do with it.
  /** Bumped by a retry; only runs of the current attempt count. */
  attempt?: number;
  /** Present from creation on user messages, so racing claims land in one map. */
  runs?: Record<RunId, RunRecord>;

  // Agent messages.
  /** The run that wrote this reply. */
  run?: Imm<RunId>;
  reasoning?: Imm;
  tools?: ToolSummary[];

  // Messages of a page (not of a thread): the thread hanging off them.
  /** The thread document (the derived `threadDocId`), set with the first reply. */
  threadDoc?: Imm<DocumentId>;
  /**
   * Number of replies in the thread; a counter from creation, so concurrent replies add up. Read
   * `replyKeys` instead where a message has it: racing agent runs each add one here.
   */
  replies?: Counter;
  /**
   * The replies that count, one key each: a person's reply by its id, an agent's answer by
   * `<message>#<attempt>`, so the answers of runs that raced for one attempt (only the winner's
   * shows) count once. A map present from creation (records written since it exists), so keys
   * added on several devices land in one map.
   */
  replyKeys?: Record<string, true>;
  lastReplyAt?: number;
}
