import { appendFileSync } from "node:fs";

/** A budget from docs/design.md ("Budgets"): tracked, not a gate. */
export interface Budget {
  op: "<" | "<=" | ">" | ">=";
  value: number;
}

/** One number a benchmark measured. */
export interface Measurement {
  /** Short package label, e.g. `relay`. */
  pkg: string;
  /** What was measured, e.g. `fan-out latency p50`. */
  name: string;
  value: number;
  /** e.g. `ms`, `appends/s`, `KiB`. */
  unit: string;
  /** Absent for numbers reported for context only. */
  budget?: Budget;
}

/** A measurement as recorded: with its verdict and its printed line. */
export interface MeasurementRecord extends Measurement {
  status: "OK" | "MISSED" | "info";
  line: string;
}

const within = (value: number, { op, value: limit }: Budget): boolean =>
  op === "<" ? value < limit : op === "<=" ? value <= limit : op === ">" ? value > limit : value >= limit;

/** 0.42, 12.3, 23,450: enough digits to compare with a budget, no more. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** The one-line form: `relay  fan-out latency p50      0.42 ms   budget < 1 ms    OK`. */
export function formatMeasurement(m: Measurement): MeasurementRecord {
  const status = m.budget ? (within(m.value, m.budget) ? "OK" : "MISSED") : "info";
  const limit = Number.isInteger(m.budget?.value) ? m.budget!.value.toLocaleString("en-US") : formatNumber(m.budget?.value ?? 0);
  const budget = m.budget ? `budget ${m.budget.op} ${limit} ${m.unit}` : "";
  const line =
    `${m.pkg.padEnd(7)}${m.name.padEnd(40)}${formatNumber(m.value).padStart(10)} ${m.unit.padEnd(11)}${budget.padEnd(32)}` + (status === "info" ? "" : status);
  return { ...m, status, line: line.trimEnd() };
}

/**
 * Print a measurement as one line and, when run by `pnpm bench` (scripts/bench.mjs), record it
 * for the closing summary (one JSON object per line in `$BOTSCHAT_BENCH_RESULTS`).
 */
export function reportMeasurement(m: Measurement): MeasurementRecord {
  const record = formatMeasurement(m);
  console.log(record.line);
  const file = process.env["BOTSCHAT_BENCH_RESULTS"];
  if (file) appendFileSync(file, JSON.stringify(record) + "\n");
  return record;
}
