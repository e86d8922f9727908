import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbKinds } from "../helpers/test-db.js";
import { eventually, type Harness, startHarness } from "../helpers/harness.js";

const kinds = await dbKinds();

describe.each(kinds)("declaring an incident (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { env: { INCIDENT_RESPONDERS: "URESP1,URESP2" } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("opens a channel, invites, pins the header and the playbook", async () => {
    const res = await h.slack.command("/incident", "declare P1 Lead scoring AUC collapsed", { userId: "UDECL", channelId: "CGENERAL" });
    expect(res.status).toBe(200);
    const inc = await eventually(() => h.db.prisma.incident.findFirst({ where: { provisionedAt: { not: null } } }), 15_000, "provisioned");
    expect(inc.severity).toBe("P1");
    expect(inc.channelName).toMatch(/^inc-\d{8}-lead-scoring-auc-collapsed$/);
    const channel = h.fake.channelByName(inc.channelName!);
    expect(channel).toBeTruthy();
    expect(channel!.members).toEqual(expect.arrayContaining(["UDECL", "URESP1", "URESP2"]));
    const pins = h.fake.pins(channel!.id);
    expect(pins).toHaveLength(2);
    expect(h.fake.violations).toEqual([]);
    const reply = h.fake.ephemerals.find((e: any) => e.via === "response_url" && /INC-\d+ declared/.test(e.body?.text ?? ""));
    expect(reply).toBeTruthy();
  });
});

describe("every chat.postMessage carries a text fallback and blocks", () => {
  it("holds for every post the app made in this file's runs", async () => {
    const h = await startHarness("pglite");
    try {
      await h.slack.command("/incident", "declare P3 Blocks everywhere", { userId: "UDECL", channelId: "CGENERAL" });
      const inc = await eventually(
        () => h.db.prisma.incident.findFirst({ where: { title: "Blocks everywhere", provisionedAt: { not: null } } }),
        15_000,
      );
      await h.slack.command("/incident", "note a plain note\nwith two lines", { userId: "UDECL", channelId: inc.channelId! });
      await eventually(() => h.fake.messages(inc.channelId!).some((m) => /plain note/.test(m.text)), 10_000, "note posted");
      const posts = h.fake.callsTo("chat.postMessage");
      expect(posts.length).toBeGreaterThanOrEqual(3);
      for (const p of posts) {
        expect(typeof p.args.text === "string" && p.args.text.length > 0).toBe(true);
        expect(Array.isArray(p.args.blocks) && p.args.blocks.length > 0).toBe(true);
      }
    } finally {
      await h.close();
    }
  });
});
