import { afterAll, beforeAll, expect } from "vitest";
import { ManualClock } from "../../src/clock.js";
import type { AppContext } from "../../src/context.js";
import { declareIncident } from "../../src/incidents/declare-incident.js";
import type { Severity } from "../../src/incidents/types.js";
import { eventually, type Harness, startHarness } from "./harness.js";
import type { TestDbKind } from "./test-db.js";

export const STAKE = "CSTAKEHOLD";

// Far in the future: every wake job the app schedules stays queued, so only the tests evaluate clocks.
export const START = new Date("2030-03-04T10:00:00Z");

export interface ClockSuite {
  h: Harness;
  clock: ManualClock;
  ctx: AppContext;
}

/**
 * Shared set-up of the clock domain tests (call inside a describe): a harness on a ManualClock with a
 * stakeholder channel, and helpers. Fields are filled in beforeAll.
 */
export function useClockSuite(kind: TestDbKind) {
  const s = {} as ClockSuite;
  beforeAll(async () => {
    s.clock = new ManualClock(START);
    s.h = await startHarness(kind, { clock: s.clock, env: { INCIDENT_RESPONDERS: "URESP1", STAKEHOLDER_CHANNEL_ID: STAKE } });
    s.h.fake.ensureChannel({ id: STAKE, name: "stakeholders" });
    s.ctx = s.h.app.ctx;
  });
  afterAll(async () => {
    expect(s.h.fake.violations).toEqual([]);
    await s.h?.close();
  });

  async function declare(opts: { severity?: Severity; detectedAgo?: number; title?: string } = {}) {
    s.clock.advance(3600 * 24); // every test starts on a fresh day, far from the others' deadlines
    const { incident } = await declareIncident(s.ctx, {
      title: opts.title ?? "Lead scoring AUC collapsed",
      severity: opts.severity ?? "P3",
      declaredBy: "UDECL",
      source: "command",
      detectedAt: opts.detectedAgo ? new Date(s.clock.now().getTime() - opts.detectedAgo * 1000) : undefined,
    });
    return eventually(
      () => s.h.db.prisma.incident.findFirst({ where: { id: incident.id, provisionedAt: { not: null } } }),
      15_000,
      "provisioned",
    );
  }
  const texts = (channelId: string) => s.h.fake.messages(channelId).map((m) => m.text);
  const waitFor = (channelId: string, re: RegExp) =>
    eventually(() => s.h.fake.messages(channelId).find((m) => re.test(m.text)), 5000, `message ${re}`);
  const clockRow = (incidentId: number, kind: string) =>
    s.h.db.prisma.clock.findUniqueOrThrow({ where: { incidentId_kind: { incidentId, kind } } });
  return { s, declare, texts, waitFor, clockRow };
}
