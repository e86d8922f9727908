import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { declareIncident } from "../../src/incidents/declare-incident.js";
import { channelName } from "../../src/incidents/naming.js";
import { eventually, type Harness, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

/** The name a same-titled incident gets with `suffix` today (TIMEZONE is UTC in these runs). */
const nameFor = (title: string, suffix = 1) => channelName({ id: 0, title, declaredAt: new Date(), timezone: "UTC" }, suffix);

async function allProvisioned(h: Harness, title: string, n: number, timeoutMs: number) {
  return eventually(
    async () => {
      const incs = await h.db.prisma.incident.findMany({ where: { title }, orderBy: { id: "asc" } });
      return incs.length === n && incs.every((i) => i.provisionedAt) ? incs : null;
    },
    timeoutMs,
    `${n} incidents titled "${title}" provisioned`,
  );
}

function createsFor(h: Harness, title: string) {
  const prefix = nameFor(title);
  return h.fake.callsTo("conversations.create").filter((c) => String(c.args.name).startsWith(prefix));
}

describe.each(kinds)("same-title incidents get channel names in O(1) Slack calls each (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("35 `/incident declare P3 Same title` all get distinct channels, about one conversations.create each; a name taken outside the bot is skipped", async () => {
    const title = "Same title";
    const n = 35;
    // Someone made "-3" by hand before: Slack refuses it (name_taken) and the bot moves past it.
    const taken = h.fake.ensureChannel({ id: "CHANDMADE", name: nameFor(title, 3) });
    const started = Date.now();
    for (let i = 0; i < n; i += 7) {
      const batch = Array.from({ length: Math.min(7, n - i) }, (_, j) =>
        h.slack.command("/incident", `declare P3 ${title}`, { userId: `UDECL${i + j}`, channelId: "CGENERAL" }),
      );
      for (const res of await Promise.all(batch)) expect(res.status).toBe(200);
    }
    const incs = await allProvisioned(h, title, n, 60_000);
    const elapsed = Date.now() - started;

    const names = incs.map((i) => i.channelName!);
    expect(new Set(names).size).toBe(n);
    expect(names).toContain(nameFor(title));
    expect(names).not.toContain(taken.name);
    for (const inc of incs) {
      expect(inc.channelName).toMatch(/^inc-\d{8}-same-title(-\d+)?$/);
      const ch = h.fake.channel(inc.channelId!);
      expect(ch?.name).toBe(inc.channelName);
    }
    const creates = createsFor(h, title);
    const nameTaken = creates.filter((c) => c.response?.error === "name_taken");
    expect(nameTaken.length).toBeGreaterThanOrEqual(1); // the hand-made one
    expect(creates.length).toBeLessThanOrEqual(n + 3);
    expect(elapsed).toBeLessThan(45_000);
    console.log(
      `[channel-names ${kind}] ${n} same-title incidents: ${creates.length} conversations.create (${nameTaken.length} name_taken) in ${elapsed} ms`,
    );
  }, 90_000);

  it("a long run of names taken outside the bot costs O(log n) creates, not one per name", async () => {
    const title = "Hand made run";
    for (let k = 1; k <= 60; k++) h.fake.ensureChannel({ id: `CRUN${k}`, name: nameFor(title, k) });
    const { incident } = await declareIncident(h.app.ctx, { title, severity: "P3", declaredBy: "URUN", source: "command" });
    const [inc] = await allProvisioned(h, title, 1, 30_000);
    expect(inc!.id).toBe(incident.id);
    const suffix = Number(/-(\d+)$/.exec(inc!.channelName!)?.[1]);
    expect(suffix).toBeGreaterThan(60);
    const creates = createsFor(h, title).length;
    expect(creates).toBeLessThanOrEqual(20);
    console.log(`[channel-names ${kind}] 60 taken names skipped with ${creates} conversations.create (got -${suffix})`);
  }, 60_000);

  it("two processes declaring the same title at once never share or lose a name", async () => {
    const title = "Twin processes";
    const n = 24;
    const first = h.app;
    const second = await h.restart(); // a second app on the same database and fake; h.close() stops this one
    try {
      const before = createsFor(h, title).length;
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          declareIncident((i % 2 ? first : second).ctx, { title, severity: "P3", declaredBy: `UTWIN${i}`, source: "command" }),
        ),
      );
      const incs = await allProvisioned(h, title, n, 60_000);
      const names = incs.map((i) => i.channelName!);
      expect(new Set(names).size).toBe(n);
      for (const inc of incs) expect(h.fake.channel(inc.channelId!)?.name).toBe(inc.channelName);
      const creates = createsFor(h, title).length - before;
      expect(creates).toBeLessThanOrEqual(n + 3);
      console.log(`[channel-names ${kind}] ${n} same-title incidents from two processes: ${creates} conversations.create`);
    } finally {
      await first.stop();
    }
  }, 90_000);
});
