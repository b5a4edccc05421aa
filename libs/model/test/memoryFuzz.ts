import { describe, it } from "vitest";
import { runFuzzScenario, type FuzzShape } from "./memoryFuzzScenario.js";

/**
 * The convergence fuzz on MemoryRelay: many seeded scenarios (`runFuzzScenario`), several at a
 * time, split over {@link PARTS} test files so that each runs in a fresh worker, in parallel with
 * the others. (A worker that has run a few hundred scenarios slows down: the Repo keeps the handles
 * of documents let go of before they were ready for a minute, and with them their scenarios.)
 *
 * A failure names its seed; `FUZZ_SEED=<seed> pnpm exec vitest run test/memoryFuzz` (in
 * libs/model) replays that one scenario and prints every step it took. `FUZZ_RUNS` (all parts
 * together, default 1000) and `FUZZ_BASE` (the first seed of each part; random by default) choose
 * the seeds, and `FUZZ_CONCURRENCY` how many run at once in a part.
 */
export const PARTS = 4;
/** A scenario still running after this long has hung (healing alone may take 3 × 10 s). */
const SCENARIO_MS = 45_000;

const env = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);

interface Failure {
  seed: number;
  error: unknown;
  trace: string[];
}

/** Registers the test of one part (1…{@link PARTS}) of the fuzz. */
export function memoryFuzzPart(part: number): void {
  const replay = env("FUZZ_SEED");
  const runs = replay === undefined ? Math.ceil((env("FUZZ_RUNS") ?? 1000) / PARTS) : 1;
  const base = replay ?? env("FUZZ_BASE") ?? Math.floor(Math.random() * 2 ** 31);
  const concurrency = env("FUZZ_CONCURRENCY") ?? 8;
  const shape: FuzzShape = { steps: 24, settleMs: 10_000 };
  // A replay runs in the first part only.
  const test = replay !== undefined && part !== 1 ? it.skip : it;

  describe(`randomized convergence on MemoryRelay, part ${part} of ${PARTS}`, () => {
    test(`${runs} seeded scenarios of peers editing through holds, drops, reorders, offline periods and restarts all converge (seeds ${base}…${base + runs - 1})`, async () => {
      const started = performance.now();
      const failures: Failure[] = [];
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < runs && failures.length === 0) {
          const seed = base + next++;
          const trace: string[] = [];
          let timer: ReturnType<typeof setTimeout> | undefined;
          const stuck = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`the scenario did not end within ${SCENARIO_MS} ms`)), SCENARIO_MS);
          });
          try {
            await Promise.race([runFuzzScenario(seed, shape, trace), stuck]);
          } catch (error) {
            failures.push({ seed, error, trace });
          } finally {
            clearTimeout(timer);
          }
          if (replay !== undefined) console.log(trace.join("\n"));
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, runs) }, worker));
      const ms = performance.now() - started;
      if (failures.length > 0) {
        const f = failures[0]!;
        const why = f.error instanceof Error ? (f.error.stack ?? f.error.message) : String(f.error);
        throw new Error(`FUZZ_SEED=${f.seed} failed (replay: FUZZ_SEED=${f.seed} pnpm exec vitest run test/memoryFuzz): ${why}\nsteps:\n${f.trace.join("\n")}`);
      }
      console.log(
        `memory fuzz part ${part}: ${next} scenarios in ${(ms / 1000).toFixed(1)} s (${(ms / next).toFixed(1)} ms each, ${concurrency} at a time), seeds ${base}…${base + next - 1}`,
      );
    }, 600_000);
  });
}
