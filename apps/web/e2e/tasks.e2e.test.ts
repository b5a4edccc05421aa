import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { e2eForFile } from "./harness/e2eForFile.js";
import { eventually, openChannel, PATIENCE_MS, signInAndUnlock, syncStatus, unlock } from "./harness/person.js";
import { screenshotLightAndDark } from "./harness/screenshots.js";
import { createTask, fillTask, jobCount, jobList, jobsWith, openTask, openTasks, taskState, waitForJobs } from "./harness/tasks.js";

// 10 ms a token: a long story streams for a couple of seconds, long enough to watch it grow.
const fx = e2eForFile({ agentDelayMs: 10 });

/** Opens a job of the history in place (unless it is open already). */
async function openJob(job: Locator): Promise<void> {
  const head = job.getByRole("button").first();
  if ((await head.getAttribute("aria-expanded")) !== "true") await head.click();
}

/** The output of the newest finished (ok) job, opened in the history as a person would. */
async function newestOutput(page: Page): Promise<string> {
  const job = jobsWith(page, "ok").first();
  await openJob(job);
  return job
    .getByLabel("Output")
    .innerText({ timeout: 5_000 })
    .catch(() => "");
}

/** Signs in on a new device and opens the demo channel's tasks. */
async function tasksOnNewDevice(opts: Parameters<typeof fx.device>[0] = {}) {
  const ws = await fx.agentWorkspace();
  const device = await fx.device(opts);
  await signInAndUnlock(device.page, ws);
  // On a phone the channels are the screen Back leads to.
  const showChannels = device.page.getByRole("main").getByRole("button", { name: "Back" });
  if (await showChannels.isVisible()) await showChannels.click();
  await openChannel(device.page, ws.channel);
  await openTasks(device.page);
  return { ws, ...device };
}

describe("background tasks", () => {
  it("a task made in the app runs every few seconds on the demo agent with its output streaming live; paused, it makes no job for three intervals; Run now makes one job at once", async () => {
    const { page } = await tasksOnNewDevice();
    await createTask(page, { name: "Lighthouse stories", prompt: "tell a long story about the lighthouse keeper", schedule: "every 3s" });
    await taskState(page, /^Scheduled/).waitFor({ timeout: PATIENCE_MS });

    // A run in progress shows its output as it is written…
    const running = jobsWith(page, "running").first();
    await running.waitFor({ timeout: 30_000 });
    await running.getByRole("button").first().click();
    await running.getByLabel("Output").getByText("Paragraph 1:").waitFor({ timeout: PATIENCE_MS });
    await screenshotLightAndDark(page, "11-task-running-job");
    // …then its final output, rendered as markdown.
    await eventually(
      () => newestOutput(page),
      (t) => t.includes("Paragraph 12:"),
      "a finished job's whole output",
    );

    // Paused: the switch acts at once, the gateway applies it, and no job comes for three intervals.
    const enabled = page.getByRole("switch", { name: "Enabled", exact: true });
    await enabled.click();
    expect(await enabled.getAttribute("aria-checked")).toBe("false");
    await taskState(page, /^Paused/).waitFor({ timeout: PATIENCE_MS });
    await eventually(
      () => jobsWith(page, "running").count(),
      (n) => n === 0,
      "the run in progress to end",
    );
    const paused = await jobCount(page);
    // The observation period is the assertion: three intervals of 3 s, and a second more.
    await page.waitForTimeout(10_000);
    expect(await jobCount(page)).toBe(paused);

    // Run now: one job, at once, even though the task is paused.
    await page.getByRole("button", { name: "Run now", exact: true }).click();
    await waitForJobs(page, paused + 1, 10_000);
    await eventually(
      () => jobsWith(page, "running").count(),
      (n) => n === 0,
      "the run asked for to end",
    );
    await page.waitForTimeout(2_000);
    expect(await jobCount(page)).toBe(paused + 1);
    expect(await jobList(page).getByRole("listitem").first().innerText()).toMatch(/^\s*ok\b[\s\S]*run now/);
  }, 120_000);

  it("the next job's output follows an edited prompt; a deleted task makes no more jobs and is gone from another device", async () => {
    const { ws, page } = await tasksOnNewDevice();
    await createTask(page, { name: "Echo fruit", prompt: "say apples", schedule: "every 2s" });
    await eventually(
      () => newestOutput(page),
      (t) => t.includes("You said: say apples"),
      "a job answering the first prompt",
      30_000,
    );

    // A run's conversation opens read-only: the prompt and the agent's answer (the oldest run: new ones come on top).
    const oldest = jobsWith(page, "ok").last();
    await openJob(oldest);
    await oldest.getByRole("button", { name: "Open conversation" }).click();
    const conversation = page.getByRole("dialog").getByRole("list", { name: "Conversation" });
    await conversation.getByText("say apples").first().waitFor();
    await conversation.getByText("You said: say apples").first().waitFor();
    expect(await page.getByRole("dialog").getByRole("textbox").count()).toBe(0);
    await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();

    await fillTask(page, { prompt: "say pears" });
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await eventually(
      () => newestOutput(page),
      (t) => t.includes("You said: say pears"),
      "a job answering the edited prompt",
      30_000,
    );

    const other = await fx.device();
    await signInAndUnlock(other.page, ws);
    await openChannel(other.page, ws.channel);
    await openTasks(other.page);
    const otherList = other.page.getByRole("list", { name: "Tasks" });
    await otherList.getByRole("button", { name: "Echo fruit", exact: true }).waitFor({ timeout: PATIENCE_MS });

    await page.getByRole("button", { name: "Delete task" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete task “Echo fruit”?" });
    await confirm.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("heading", { name: "Background tasks" }).waitFor();
    expect(await page.getByRole("list", { name: "Tasks" }).getByRole("button", { name: "Echo fruit", exact: true }).count()).toBe(0);
    await otherList.getByRole("button", { name: "Echo fruit", exact: true }).waitFor({ state: "detached", timeout: PATIENCE_MS });

    // The agent unscheduled it; a run already under way may still end, then nothing more.
    await ws.agent.waitFor(/task “Echo fruit” deleted: unscheduled/, PATIENCE_MS);
    const ran = (): number => ws.agent.lines.filter((l) => /task “Echo fruit” ran on schedule/.test(l)).length;
    await new Promise((r) => setTimeout(r, 2_000));
    const before = ran();
    // Three intervals of 2 s, and a half more.
    await new Promise((r) => setTimeout(r, 6_500));
    expect(ran()).toBe(before);
  }, 120_000);

  it("a task made while the browser is offline shows as waiting for the gateway, and is scheduled and runs once back online", async () => {
    const { ws, context, page } = await tasksOnNewDevice();
    await syncStatus(page, /^Live/).waitFor({ timeout: PATIENCE_MS });
    await context.setOffline(true);
    await syncStatus(page, /^Offline/).waitFor({ timeout: PATIENCE_MS });
    await createTask(page, { name: "Made on a train", prompt: "say trains", schedule: "every 4s" });
    await taskState(page, /^Waiting for the gateway/).waitFor();
    await page.getByRole("button", { name: "Tasks", exact: true }).first().click();
    const row = page.getByRole("list", { name: "Tasks" }).getByRole("listitem").filter({ hasText: "Made on a train" });
    await row.getByText(/Waiting for the gateway/).waitFor();

    await context.setOffline(false);
    await row.getByText("Scheduled").waitFor({ timeout: 30_000 });
    await row.getByText(/^ok$/).waitFor({ timeout: 30_000 });
    await openTask(page, "Made on a train");
    await waitForJobs(page, 1);

    // Offline again, the app reloads on the task and its history reads from this device's copy.
    await context.setOffline(true);
    await page.reload();
    const unlockButton = page.getByRole("button", { name: "Unlock" });
    await unlockButton
      .or(page.getByRole("navigation", { name: "Channels" }))
      .first()
      .waitFor({ timeout: PATIENCE_MS });
    if (await unlockButton.isVisible()) await unlock(page, ws.passphrase);
    await page.getByRole("heading", { name: "Made on a train", exact: true }).waitFor({ timeout: PATIENCE_MS });
    await waitForJobs(page, 1);
    await syncStatus(page, /^Offline/).waitFor();
  }, 120_000);

  it("the same prompt edited on two devices, one of them offline, keeps both edits", async () => {
    const { ws, page } = await tasksOnNewDevice();
    await createTask(page, { name: "Shared prompt", prompt: "Summarise the news", schedule: "every 1h", enabled: false });

    const phone = await fx.device();
    await signInAndUnlock(phone.page, ws);
    await openChannel(phone.page, ws.channel);
    await openTasks(phone.page);
    await openTask(phone.page, "Shared prompt");
    const phonePrompt = phone.page.getByRole("form", { name: "Task" }).getByLabel("Prompt", { exact: true });
    await eventually(
      () => phonePrompt.inputValue(),
      (v) => v === "Summarise the news",
      "the prompt on the second device",
    );

    await phone.context.setOffline(true);
    await syncStatus(phone.page, /^Offline/).waitFor({ timeout: PATIENCE_MS });
    await phonePrompt.fill("Summarise the news in French");
    await phone.page.getByRole("button", { name: "Save", exact: true }).click();
    await taskState(phone.page, /^Waiting for the gateway/).waitFor();

    const prompt = page.getByRole("form", { name: "Task" }).getByLabel("Prompt", { exact: true });
    await prompt.fill("Please summarise the news");
    await page.getByRole("button", { name: "Save", exact: true }).click();

    await phone.context.setOffline(false);
    for (const field of [prompt, phonePrompt]) {
      await eventually(
        () => field.inputValue(),
        (v) => v === "Please summarise the news in French",
        "both edits merged",
        30_000,
      );
    }
  }, 120_000);

  it("a schedule typed wrong says why and cannot be saved; the form writes schedules without cron and says them in words", async () => {
    const { page } = await tasksOnNewDevice();
    await page.getByRole("button", { name: "New task" }).click();
    await fillTask(page, { name: "Typed schedule", prompt: "say hello" });
    const save = page.getByRole("button", { name: "Save", exact: true });
    const schedule = page.getByRole("form", { name: "Task" }).getByLabel("Schedule", { exact: true });

    await fillTask(page, { schedule: "every banana" });
    await page
      .getByRole("alert")
      .filter({ hasText: /^Not a schedule: / })
      .waitFor();
    expect(await save.isDisabled()).toBe(true);
    await fillTask(page, { schedule: "cron 0 25 * * *" });
    await page.getByRole("alert").filter({ hasText: /hour/ }).waitFor();
    expect(await save.isDisabled()).toBe(true);

    await fillTask(page, { schedule: "cron 0 9 * * 1-5" });
    await page.getByText("Runs weekdays at 09:00 (UTC).").waitFor();
    expect(await page.getByRole("list", { name: "Next runs" }).getByRole("listitem").count()).toBe(4);
    expect(await save.isDisabled()).toBe(false);
    expect(await page.getByRole("radio", { name: "Weekdays" }).isChecked()).toBe(true);

    // Without knowing cron: every 20 minutes, then Mondays and Thursdays at 18:15.
    await page.getByRole("radio", { name: "Every…" }).check();
    await page.getByLabel("Interval").fill("20");
    await eventually(
      () => schedule.inputValue(),
      (v) => v === "every 20m",
      "the schedule the form wrote",
    );
    await page.getByText("Runs every 20 minutes.").waitFor();
    await page.getByRole("radio", { name: "Weekly" }).check();
    await page.getByRole("checkbox", { name: "Thursday" }).check();
    // Typed digit by digit, as a person does (a field rewritten mid-typing ended at 18:00 once).
    await page.getByLabel("Time of day").focus();
    await page.keyboard.type("0615P");
    await eventually(
      () => schedule.inputValue(),
      (v) => v === "cron 15 18 * * 1,4",
      "the weekly schedule the form wrote",
    );
    await page.getByText("Runs Mondays and Thursdays at 18:15 (UTC).").waitFor();
    await save.click();
    await page.getByRole("heading", { name: "Typed schedule", exact: true }).waitFor();
    // Back goes to the list, not to the empty form the task was made in.
    await page.goBack();
    await page.getByRole("heading", { name: "Background tasks" }).waitFor();
  }, 60_000);

  it("the tasks list and a task page, light and dark, on a desktop and on a phone, with a failed job flagged", async () => {
    const { page } = await tasksOnNewDevice();
    await createTask(page, { name: "Flaky report", prompt: "please fail this time", schedule: "cron 0 7 * * 1-5" });
    await page.getByRole("button", { name: "Run now", exact: true }).click();
    const failed = jobsWith(page, "error").first();
    await failed.waitFor({ timeout: PATIENCE_MS });
    await failed.getByRole("button").first().click();
    await failed.getByRole("note", { name: "Error" }).getByText("The demo agent was asked to fail.").waitFor();
    await screenshotLightAndDark(page, "13-task-failed-job");

    // The channel's Tasks control says a task failed.
    const tasksTab = page.getByRole("main").getByRole("navigation", { name: "Channel views" }).getByRole("button", { name: "Tasks" });
    await eventually(
      () => tasksTab.getAttribute("title"),
      (t) => /failed/.test(t ?? ""),
      "the failed task flagged on Tasks",
    );

    await fillTask(page, { name: "Flaky report (edited)", schedule: "at 07:30" });
    await screenshotLightAndDark(page, "12-task-page-editing");
    await page.getByRole("button", { name: "Discard changes" }).click();

    await tasksTab.click();
    await page.getByRole("list", { name: "Tasks" }).getByRole("button", { name: "Flaky report", exact: true }).waitFor();
    await screenshotLightAndDark(page, "10-tasks-list");

    // The task's runs have a session of their own, opened from its jobs: not a closed tab of the chat.
    await page.getByRole("main").getByRole("navigation", { name: "Channel views" }).getByRole("button", { name: "Chat" }).click();
    await page.getByRole("button", { name: "Session options" }).click();
    const options = page.getByRole("menu", { name: "Session options" });
    await options.waitFor();
    expect(await options.innerText()).not.toMatch(/Task: /);
    await page.keyboard.press("Escape");
    await tasksTab.click();

    // On a phone: the list, then a task, fit the screen (nothing wider than it).
    const phone = await tasksOnNewDevice({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const fits = (): Promise<boolean> => phone.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth");
    await phone.page.getByRole("list", { name: "Tasks" }).getByRole("button", { name: "Flaky report", exact: true }).waitFor();
    expect(await fits()).toBe(true);
    await screenshotLightAndDark(phone.page, "14-phone-tasks-list");
    await openTask(phone.page, "Flaky report");
    await waitForJobs(phone.page, 1);
    expect(await fits()).toBe(true);
    await screenshotLightAndDark(phone.page, "15-phone-task-page");
  }, 120_000);
});
