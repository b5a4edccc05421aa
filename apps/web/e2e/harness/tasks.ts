import type { Locator, Page } from "playwright-core";
import { eventually, PATIENCE_MS } from "./person.js";

// A person's way around Background Tasks, by roles and accessible names (issue "Names people and
// tests rely on"): a "Tasks" control, "New task", fields "Name", "Prompt", "Schedule", "Save",
// the "Enabled" switch, "Run now", "Delete task", and the job history, a list named "Jobs".

/** Opens the current channel's tasks from its header. */
export async function openTasks(page: Page): Promise<void> {
  await page.getByRole("main").getByRole("navigation", { name: "Channel views" }).getByRole("button", { name: "Tasks" }).click();
  await page.getByRole("heading", { name: "Background tasks" }).waitFor({ timeout: PATIENCE_MS });
}

/** What a new task is made of. */
export interface NewTaskInput {
  name: string;
  prompt: string;
  schedule: string;
  enabled?: boolean;
}

/** Fills a new task (from the tasks list) and saves it; resolves on its page. */
export async function createTask(page: Page, t: NewTaskInput): Promise<void> {
  await page.getByRole("button", { name: "New task" }).click();
  await fillTask(page, t);
  if (t.enabled === false) await page.getByRole("switch", { name: "Enabled", exact: true }).click();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("heading", { name: t.name, exact: true }).waitFor({ timeout: PATIENCE_MS });
  await page.getByRole("button", { name: "Run now", exact: true }).waitFor({ timeout: PATIENCE_MS });
}

/** Types into a task page's fields (those given). */
export async function fillTask(page: Page, t: Partial<NewTaskInput>): Promise<void> {
  const form = page.getByRole("form", { name: "Task" });
  if (t.name !== undefined) await form.getByLabel("Name", { exact: true }).fill(t.name);
  if (t.prompt !== undefined) await form.getByLabel("Prompt", { exact: true }).fill(t.prompt);
  if (t.schedule !== undefined) await form.getByLabel("Schedule", { exact: true }).fill(t.schedule);
}

/** Opens a task of the list by its name. */
export async function openTask(page: Page, name: string): Promise<void> {
  await page.getByRole("list", { name: "Tasks" }).getByRole("button", { name, exact: true }).click({ timeout: PATIENCE_MS });
  await page.getByRole("heading", { name, exact: true }).waitFor({ timeout: PATIENCE_MS });
}

/** The job history of the open task. */
export const jobList = (page: Page): Locator => page.getByRole("list", { name: "Jobs" });

/** The history's items whose text says `status` (running, ok, error, skipped). */
export const jobsWith = (page: Page, status: string): Locator =>
  jobList(page)
    .getByRole("listitem")
    .filter({ hasText: new RegExp(`^\\s*${status}\\b`) });

/** How many jobs the history shows. */
export async function jobCount(page: Page): Promise<number> {
  if ((await jobList(page).count()) === 0) return 0;
  return jobList(page).getByRole("listitem").count();
}

/** Waits until the history shows at least `n` jobs; answers how many. */
export async function waitForJobs(page: Page, n: number, timeoutMs = PATIENCE_MS): Promise<number> {
  return eventually(
    () => jobCount(page),
    (c) => c >= n,
    `${n} job(s) in the history`,
    timeoutMs,
  );
}

/** The open task's state line when it says `state` ("Scheduled", "Paused", "Waiting for the gateway", an error). */
export const taskState = (page: Page, state: RegExp): Locator => page.getByRole("main").getByRole("status").filter({ hasText: state });
