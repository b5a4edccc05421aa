import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * Vitest's order (failed and slow files first), except that the files of the projects that run
 * last (a `groupOrder` above 0: the browser and OpenClaw suites) alternate between projects. Each
 * of those projects runs one file at a time (its files hold a lock), so two files of one project
 * next to each other would have the second wait for the first instead of running beside a file of
 * the other project.
 */
class SuiteOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const late = new Map<string, TestSpecification[]>();
    const out: TestSpecification[] = [];
    for (const spec of sorted) {
      if (spec.project.config.sequence.groupOrder > 0) {
        const key = `${spec.project.config.sequence.groupOrder}:${spec.project.name}`;
        late.set(key, [...(late.get(key) ?? []), spec]);
      } else out.push(spec);
    }
    const queues = [...late.values()];
    while (queues.some((q) => q.length > 0)) for (const q of queues) if (q.length > 0) out.push(q.shift()!);
    return out;
  }
}

export default defineConfig({
  test: {
    projects: [
      "libs/*/vitest.config.ts",
      "apps/*/vitest.config.ts",
      "apps/relay/vitest.alone.config.ts",
      "apps/plugin/vitest.openclaw.config.ts",
      "apps/web/vitest.e2e.config.ts",
      "test/vitest.config.ts",
    ],
    // Two test files at a time. Vitest's default is one fewer than the cores, which on a 2-core
    // machine is one: every file waited for the one before, though most of them spend their time
    // waiting on timers, sockets and processes. The browser and OpenClaw suites run after the
    // others (their `groupOrder`), each one file at a time, beside each other; the files that bound
    // latencies on the machine run alone at the very end (apps/relay/vitest.alone.config.ts).
    maxWorkers: 2,
    sequence: { sequencer: SuiteOrder },
  },
});
