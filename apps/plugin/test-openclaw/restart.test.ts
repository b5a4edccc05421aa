import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTask, editTask, messageStatus, sendMessage, str, type DocumentId, type MessageDoc, type SessionId } from "@botschat/model";
import { PeerKind, type PeerInfo } from "@botschat/protocol";
import { applied, cronJobsOf } from "./cronJobs.js";
import { killGateway, startGateway, stopGateway } from "./gateway.js";
import { channelWithSession, modelRequests, repliesTo, startDevice, streamedReplies, suite, until, type Device } from "./suite.js";

let device: Device;
let channelDoc: DocumentId;
let session: SessionId;
/** Who is connected, as the relay last told the device. */
let peers: PeerInfo[] = [];

beforeAll(async () => {
  device = await startDevice();
  device.engine.on("peers", (p) => (peers = p));
  const made = await channelWithSession(device, "Restart");
  channelDoc = made.channel.doc;
  session = made.session;
});
afterAll(() => device?.stop());

const statusOf = async (doc: DocumentId, message: string) => messageStatus((await device.engine.find<MessageDoc>(doc)).doc().messages[message as never]!);

/** Sends the long prompt and waits until its reply is well under way. */
async function longReplyStreaming() {
  const long = await sendMessage(device.engine, device.me, { channelDoc, session, text: "Tell me a long story" });
  await until(() => streamedReplies(device, long.message).some((s) => s.text.length > 40), "the long reply to be streaming", 45_000);
  return long;
}

/** Starts the gateway again, waits for the account, and checks a new message is answered once; answers the model requests made since the start. */
async function restartAndAsk(text: string, { strict = true } = {}) {
  const s = suite();
  const requestsBefore = (await modelRequests()).length;
  const restarted = Date.now();
  await startGateway(s.home);
  // Its socket among the relay's peers (asking OpenClaw's CLI costs seconds a call).
  await until(() => peers.some((p) => p.kind === PeerKind.plugin && p.since >= restarted), "the account to connect again", 90_000);
  const after = await sendMessage(device.engine, device.me, { channelDoc, session, text });
  await until(async () => (await repliesTo(device, after.doc, after.message)).length > 0, "the reply after the restart", 60_000);
  expect(await repliesTo(device, after.doc, after.message)).toHaveLength(1);
  const since = (await modelRequests()).slice(requestsBefore);
  if (strict) expect(since.filter((r) => asked(r, text))).toHaveLength(1);
  return since;
}

/** A request whose newest user text is the given one (OpenClaw adds context messages after it). */
const asked = (r: { user: string[] }, text: string) =>
  r.user
    .filter((u) => !u.includes("BEGIN_OPENCLAW_INTERNAL_CONTEXT"))
    .at(-1)
    ?.includes(text) === true;

describe("the gateway restarted mid-conversation answers nothing twice", () => {
  it(
    "SIGTERM mid-reply: OpenClaw drains the turn, the reply is committed once, and after the restart nothing is answered again",
    { timeout: 180_000 },
    async () => {
      const long = await longReplyStreaming();
      const stopStarted = Date.now();
      await stopGateway(suite().home);
      expect(Date.now() - stopStarted).toBeLessThan(15_000);
      await until(async () => (await repliesTo(device, long.doc, long.message)).length > 0, "the drained reply to be committed", 10_000);
      const since = await restartAndAsk("Still there after a stop?");
      expect(await repliesTo(device, long.doc, long.message)).toHaveLength(1);
      expect(str((await repliesTo(device, long.doc, long.message))[0]!.text)).toMatch(/^word0 word1 .* word159$/);
      expect(since.filter((r) => asked(r, "long story"))).toHaveLength(0);
    },
  );

  it("a crash (SIGKILL) mid-reply: after the restart the cut-off reply is marked interrupted, not answered again", { timeout: 180_000 }, async () => {
    const long = await longReplyStreaming();
    await killGateway(suite().home);
    // OpenClaw's own restart recovery resumes the cut-off turn in its transcript and folds the new
    // message into that run; its answer (through the channel's outbound) is the new message's reply.
    const since = await restartAndAsk("Still there after a crash?", { strict: false });
    await until(async () => (await statusOf(long.doc, long.message)) === "interrupted", "the cut-off reply to be marked interrupted", 20_000);
    expect(await repliesTo(device, long.doc, long.message)).toHaveLength(0);
    expect(since.filter((r) => asked(r, "long story")).length).toBeLessThanOrEqual(1);
  });

  it(
    "a task edited while the gateway was off is applied once when it is back: one cron job, with the new schedule and prompt",
    { timeout: 180_000 },
    async () => {
      const { task, doc } = await createTask(device.engine, device.me, {
        channelDoc,
        name: "While off",
        schedule: "every 3h",
        timezone: "UTC",
        prompt: "CRON:before",
      });
      await applied(device, doc, 1);
      await stopGateway(suite().home);
      await editTask(device.engine, device.me, { taskDoc: doc, schedule: "at 07:30", timezone: "Europe/Berlin", prompt: "CRON:after" });
      await device.engine.whenIdle();
      await restartAndAsk("Back after a task edit?");
      await applied(device, doc, 2);
      const jobs = await cronJobsOf(task);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ enabled: true, schedule: { kind: "cron", expr: "30 7 * * *", tz: "Europe/Berlin" }, payload: { message: "CRON:after" } });
    },
  );
});
