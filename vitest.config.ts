import { defineConfig } from "vitest/config";
import SummaryLineReporter from "./tests/support/summary-line-reporter.js";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Real-browser tests render whole documents: generous limits, and no timing assertions anywhere.
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: "forks",
    globalSetup: ["tests/global-setup.ts"],
    reporters: ["default", new SummaryLineReporter()],
  },
});
