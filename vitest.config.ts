import { defineConfig } from "vitest/config";
import LongestFirstSequencer from "./test/sequencer.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"], // the build and the database templates (PGLITE_TEMPLATE=0: no PGlite template)
    testTimeout: 30_000,
    hookTimeout: 60_000, // a fresh in-memory PGlite (initdb) takes ~2-4 s, more under parallel load
    pool: "forks",
    // Files share their worker's module cache: the app's modules are loaded once per worker, not once per file (that
    // was a fifth of the run's CPU). Every file starts and stops its own apps, databases and fakes; state that lives in
    // a module is kept per running app (its context), never per process.
    isolate: false,
    sequence: { sequencer: LongestFirstSequencer },
    reporters: ["default", "./test/summary-reporter.ts"],
    // The end-to-end files mostly wait on HTTP and job polling, not CPU: run three at a time even on 2 cores.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 3),
  },
});
