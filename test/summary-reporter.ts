import type { Reporter, TestModule } from "vitest/node";

/** Prints the plain closing line CI reads ("N passed, N failed, N skipped") after vitest's own summary. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
      // A file that failed outside its tests (load error, hook error) counts as one failure.
      if (mod.state() === "failed" && ![...mod.children.allTests()].some((t) => t.result().state === "failed")) failed++;
    }
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
