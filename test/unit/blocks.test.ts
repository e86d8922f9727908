import { describe, expect, it } from "vitest";
import { type ChecklistItemView, checklistBlocks, incidentHeaderBlocks, incidentTopic } from "../../blocks/incident.js";
import { timelineBlocks } from "../../blocks/lists.js";
import { escKeepMentions, truncate } from "../../blocks/text.js";
import { checkMessage } from "../../tools/fake-slack/block-limits.js";
import { channelName, parseIncidentRef, slugify } from "../../src/incidents/naming.js";
import { buildPlaybook } from "../../src/playbooks/rollback.js";
import { parseDeclareArgs } from "../../src/slack/commands/incident-core.js";
import { checklistItem } from "../helpers/items.js";

const items = (n: number): ChecklistItemView[] =>
  Array.from({ length: n }, (_, i) =>
    checklistItem({
      number: `${Math.floor(i / 6) + 1}.${(i % 6) + 1}`,
      sectionKey: `S${Math.floor(i / 6)}`,
      sectionTitle: `Step ${Math.floor(i / 6) + 1}`,
      text: `Item ${i} ${"x".repeat(140)}`,
      ownerId: i % 2 ? "U123" : null,
      state: i % 3 === 0 ? "done" : i % 3 === 1 ? "na" : "todo",
      justification: i % 3 === 1 ? "y".repeat(900) : null,
      completedBy: i % 3 === 0 ? "U9" : null,
    }),
  );

describe("blocks", () => {
  it("renders the seed playbook for every category within Slack's limits, with an owner picker, Done and N/A per item", () => {
    for (const category of [null, "data", "model", "infrastructure", "integration"] as const) {
      const pb = buildPlaybook(category);
      const views = pb.steps.flatMap((s, si) =>
        s.items.map((it, ii) => checklistItem({ number: `${si + 1}.${ii + 1}`, sectionKey: s.key, sectionTitle: s.title, text: it.text })),
      );
      const blocks = checklistBlocks(7, "playbook", "Playbook", views);
      expect(checkMessage({ text: "x", blocks } as any)).toEqual([]);
      const actions = blocks.filter((b: any) => b.type === "actions");
      expect(actions).toHaveLength(views.length);
      for (const a of actions as any[]) {
        expect(a.elements.map((e: any) => e.type)).toEqual(["users_select", "button", "button"]);
      }
      expect(pb.steps.map((s) => s.key)).toEqual(["DETECT", "ASSESS", "MITIGATE", "COMMUNICATE", "RESOLVE"]);
    }
  });

  it("switches to one block per item (overflow menu) when two per item would exceed 50 blocks, and caps beyond", () => {
    const blocks = checklistBlocks(1, "playbook", "Long", items(40));
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(checkMessage({ text: "x", blocks } as any)).toEqual([]);
    expect(blocks.some((b: any) => b.accessory?.type === "overflow")).toBe(true);
    const huge = checklistBlocks(1, "playbook", "Huge", items(80));
    expect(huge.length).toBe(50);
    expect(JSON.stringify(huge.at(-1))).toMatch(/more blocks/);
  });

  it("header shows severity, status, lead, category and escalation; topic fits Slack", () => {
    const inc = {
      id: 3,
      title: "t".repeat(300),
      severity: "P1",
      status: "investigating",
      category: "model",
      service: "svc",
      summary: "s".repeat(5000),
      escalation: "red",
      leadId: "ULEAD",
      commsId: null,
      declaredBy: "alert:alertmanager",
      isPrivate: false,
      userFacing: true,
      detectedAt: new Date("2026-11-23T09:00:00Z"),
      acknowledgedAt: null,
      mitigatedAt: null,
      resolvedAt: null,
    };
    const blocks = incidentHeaderBlocks(inc, "Europe/Berlin");
    expect(checkMessage({ text: "x", blocks } as any)).toEqual([]);
    const json = JSON.stringify(blocks);
    for (const s of ["P1", "investigating", "<@ULEAD>", "model", "red", "2026-11-23 10:00"]) expect(json).toContain(s);
    expect(incidentTopic(inc).length).toBeLessThanOrEqual(250);
  });

  it("timeline packs long histories and keeps mentions", () => {
    const rows = Array.from({ length: 500 }, (_, i) => ({
      at: new Date(Date.UTC(2026, 10, 23, 9, i % 60)),
      kind: "note.added",
      actorId: "U1",
      text: `note ${i} for <@U2> & <b>`,
    }));
    const blocks = timelineBlocks(1, rows, "UTC");
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(checkMessage({ text: "x", blocks } as any)).toEqual([]);
    expect(JSON.stringify(blocks)).toContain("<@U2> &amp; &lt;b&gt;");
    expect(escKeepMentions("<@U1|bob> <#C1> <script>")).toBe("<@U1|bob> <#C1> &lt;script&gt;");
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("ab😀cd", 4)).toBe("ab…"); // never half an emoji (a lone surrogate)
  });
});

describe("names and arguments", () => {
  it("builds channel names in TIMEZONE with slug fallbacks and suffixes", () => {
    const at = new Date("2026-11-23T23:30:00Z");
    expect(channelName({ id: 4, title: "PSI 0.31 on lead_source!", declaredAt: at, timezone: "UTC" })).toBe(
      "inc-20261123-psi-0-31-on-lead-source",
    );
    expect(channelName({ id: 4, title: "x", declaredAt: at, timezone: "Asia/Tokyo" })).toBe("inc-20261124-x");
    expect(channelName({ id: 9, title: "🔥🔥", declaredAt: at, timezone: "UTC" })).toBe("inc-20261123-incident-9");
    expect(channelName({ id: 9, title: "Ünïcödé Façade", declaredAt: at, timezone: "UTC" }, 3)).toBe("inc-20261123-unicode-facade-3");
    const long = channelName({ id: 1, title: "word ".repeat(40), declaredAt: at, timezone: "UTC" }, 12);
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long.endsWith("-12")).toBe(true);
    expect(slugify("--A  b--")).toBe("a-b");
    expect(parseIncidentRef("INC-42")).toBe(42);
    expect(parseIncidentRef("inc-x")).toBeNull();
  });

  it("parses declare arguments", () => {
    expect(parseDeclareArgs("P1 DB down")).toEqual({ isPrivate: false, severity: "P1", title: "DB down" });
    expect(parseDeclareArgs("--private p3 Leak")).toEqual({ isPrivate: true, severity: "P3", title: "Leak" });
    expect(parseDeclareArgs("P4 --private Leak")).toEqual({ isPrivate: true, severity: "P4", title: "Leak" });
    expect(parseDeclareArgs("Just a title")).toEqual({ isPrivate: false, severity: "P2", title: "Just a title" });
    expect(() => parseDeclareArgs("P1")).toThrow(/title/);
    expect(() => parseDeclareArgs("--urgent x")).toThrow(/Unknown option --urgent/);
  });
});
