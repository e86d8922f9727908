import { defineConfig } from "vitest/config";
import LongestFirstSequencer from "./test/sequencer.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"], // the build and the database templates (PGLITE_TEMPLATE=0: no PGlite template)
    testTimeout: 30_000,
    hookTimeout: 60_000, // a fresh in-memory PGlite (initdb) takes ~2-4 s, more under parallel load
    pool: "forks",
    sequence: { sequencer: LongestFirstSequencer },
    reporters: ["default", "./test/summary-reporter.ts"],
    // The end-to-end files mostly wait on HTTP and job polling, not CPU: run three at a time even on 2 cores.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 3),
  },
});
