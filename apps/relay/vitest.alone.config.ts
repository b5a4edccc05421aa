import { defineProject } from "vitest/config";

/**
 * The relay's suites that bound latencies on the machine itself (another user's acks within
 * 200 ms while a 100 MiB backlog flows): they run alone, after every other file (no file
 * parallelism: vitest's last, sequential group), never beside another test file.
 */
export default defineProject({
  test: {
    name: "relay-alone",
    environment: "node",
    include: ["test/backlog.test.ts"],
    globalSetup: ["@botschat/relay-testkit/globalSetup"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
