import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The longest files (child processes, kill tests, browsers, the production install) start first, so the run does
 * not end with one of them alone on the machine. Vitest orders by its cache of the last run's durations, which a
 * fresh clone (CI) does not have. Order only: a file missing here just runs in vitest's order.
 */
const LONGEST_FIRST = [
  "test/e2e/resilience.test.ts",
  "test/e2e/jira.test.ts",
  "test/e2e/kill-declare.test.ts",
  "test/e2e/deploy.test.ts",
  "test/e2e/paging.test.ts",
  "test/e2e/kill-rollback.test.ts",
  "test/e2e/rollback.test.ts",
  "test/e2e/status-page.test.ts",
  "test/e2e/clocks.test.ts",
  "test/e2e/channel-names.test.ts",
  "test/e2e/web-browser.test.ts",
  "test/e2e/fuzz-alerts.test.ts",
  "test/e2e/hostile-http.test.ts",
  "test/e2e/gates.test.ts",
  "test/e2e/alerts-concurrency.test.ts",
  "test/e2e/header-links.test.ts",
  "test/e2e/email.test.ts",
  "test/e2e/fuzz-slack-events.test.ts",
];

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((p) => f.moduleId.endsWith(p));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map(({ f }) => f);
  }
}
