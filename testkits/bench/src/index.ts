// What every benchmark prints its figures with (`pnpm bench` collects them), and percentiles.
export * from "./reportMeasurement.js";
export * from "./percentile.js";
export * from "./giveUpAfter.js";
