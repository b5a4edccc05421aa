import type { ActionBlockInput } from "@botschat/model";

/** A small picture for a demo card: a tinted panel with a shape, as a `data:image/svg+xml` URL. */
function picture(background: string, shape: string): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 90"><rect width="160" height="90" fill="${background}"/>${shape}</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

const dot = (x: number, y: number, r: number, fill: string) => `<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}"/>`;

/** A radio group: one format among three, each with a line about it. */
export const DEMO_RADIO: ActionBlockInput = {
  kind: "radio",
  id: "report-format",
  prompt: "How should I write the report?",
  options: [
    { value: "summary", label: "Summary", description: "One short paragraph." },
    { value: "bullets", label: "Bullet points", description: "One line per finding." },
    { value: "full", label: "Full report", description: "Every detail, in sections." },
  ],
  submitLabel: "Use this format",
};

/** Selection cards with pictures: one plan, or with `multiple` several add-ons. */
export function demoCards(multiple: boolean): ActionBlockInput {
  if (multiple) {
    return {
      kind: "cards",
      id: "add-ons",
      prompt: "Which add-ons should I include?",
      multiple: true,
      submitLabel: "Add these",
      cards: [
        {
          value: "backup",
          title: "Backups",
          description: "Nightly, kept for 30 days.",
          image: picture("#dbeafe", dot(80, 45, 22, "#3b82f6")),
          imageAlt: "A blue disc",
        },
        {
          value: "alerts",
          title: "Alerts",
          description: "A message when something breaks.",
          image: picture("#fee2e2", dot(80, 45, 22, "#ef4444")),
          imageAlt: "A red disc",
        },
        {
          value: "reports",
          title: "Reports",
          description: "A summary every Monday.",
          image: picture("#dcfce7", dot(80, 45, 22, "#22c55e")),
          imageAlt: "A green disc",
        },
      ],
    };
  }
  return {
    kind: "cards",
    id: "plan",
    prompt: "Pick a plan",
    cards: [
      {
        value: "starter",
        title: "Starter",
        description: "For one person trying things out.",
        image: picture("#e0e7ff", dot(80, 45, 16, "#6366f1")),
        imageAlt: "One small circle",
      },
      {
        value: "team",
        title: "Team",
        description: "Up to ten people, shared channels.",
        image: picture("#fef3c7", dot(58, 45, 16, "#f59e0b") + dot(102, 45, 16, "#d97706")),
        imageAlt: "Two circles side by side",
      },
      {
        value: "company",
        title: "Company",
        description: "Everyone, with single sign-on and audit logs.",
        image: picture("#dcfce7", dot(44, 45, 14, "#16a34a") + dot(80, 45, 14, "#22c55e") + dot(116, 45, 14, "#15803d")),
        imageAlt: "Three circles in a row",
      },
    ],
  };
}

/** A form of four fields, one of each type, submitted together. */
export const DEMO_FORM: ActionBlockInput = {
  kind: "form",
  id: "new-project",
  prompt: "New project",
  submitLabel: "Create project",
  fields: [
    { type: "text", name: "name", label: "Project name", required: true, placeholder: "e.g. Apollo", maxLength: 60 },
    { type: "number", name: "size", label: "Team size", required: true, min: 1, max: 50, step: 1 },
    {
      type: "select",
      name: "region",
      label: "Region",
      options: [
        { value: "eu", label: "Europe" },
        { value: "us", label: "Americas" },
        { value: "ap", label: "Asia Pacific" },
      ],
    },
    { type: "checkbox", name: "public", label: "Visible to everyone in the workspace" },
  ],
};

/**
 * A block that is not valid — a form field of a type BotsChat does not know — as a careless
 * agent might write one: the message shows its words as text instead.
 */
export const DEMO_BROKEN_BLOCK = {
  kind: "form",
  id: "theme",
  prompt: "Pick a colour for the theme",
  fields: [{ type: "colour-wheel", name: "colour", label: "Theme colour" }],
} as unknown as ActionBlockInput;
