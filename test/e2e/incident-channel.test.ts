import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEADER_BLOCK_BUDGET } from "../../blocks/incident.js";
import { ACTIONS } from "../../src/chat/ids.js";
import { declareAndProvision, eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

// The channel people read at 3 am on a phone: a header with the deadlines, a short playbook with the next step.
const PLAYBOOK_BLOCK_BUDGET = 20;

describe.each(kinds)("the incident channel at 3 am (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { env: { ACK_TARGET_SECONDS: "300", MITIGATE_TARGET_SECONDS: "900" } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const messages = async (incidentId: number) => {
    const inc = await h.db.prisma.incident.findUniqueOrThrow({ where: { id: incidentId } });
    const all = h.fake.messages(inc.channelId!);
    return {
      inc,
      header: all.find((m: any) => m.ts === inc.headerTs) as any,
      playbook: all.find((m: any) => m.ts === inc.playbookTs) as any,
    };
  };
  const hhmm = (d: Date) => d.toISOString().slice(11, 16); // TIMEZONE is UTC here

  it("the header shows the ack and mitigation deadlines; they go as the clocks are met", async () => {
    const inc = await declareAndProvision(h, "P1 Scoring API returns 500s");
    const { header } = await messages(inc.id);
    expect(header.blocks.length).toBeLessThanOrEqual(HEADER_BLOCK_BUDGET);
    const deadlines = header.blocks.find((b: any) => b.block_id === "deadlines");
    const ack = new Date(inc.detectedAt.getTime() + 300_000);
    const mitigate = new Date(inc.detectedAt.getTime() + 900_000);
    expect(deadlines.text.text).toContain(`ack by ${hhmm(ack)} · mitigate by ${hhmm(mitigate)}`);

    await runCommand(h, "/incident", "ack", { userId: "UONCALL", channelId: inc.channelId! });
    await eventually(
      async () => {
        const d = (await messages(inc.id)).header?.blocks.find((b: any) => b.block_id === "deadlines");
        return d && !d.text.text.includes("ack by") && d.text.text.includes(`mitigate by ${hhmm(mitigate)}`);
      },
      10_000,
      "header updated without the met ack deadline",
    );
    await runCommand(h, "/incident", "status mitigated", { userId: "UONCALL", channelId: inc.channelId! });
    await eventually(
      async () => !(await messages(inc.id)).header?.blocks.some((b: any) => b.block_id === "deadlines"),
      10_000,
      "no deadlines left once mitigated",
    );
    expect(h.fake.violations).toEqual([]);
  });

  it("the pinned playbook shows the current step in full, the others as one line, the next step, and no 'no owner' per item", async () => {
    const inc = await declareAndProvision(h, "P2 Drift on lead_source");
    const { playbook } = await messages(inc.id);
    const blocks: any[] = playbook.blocks;
    expect(blocks.length).toBeLessThanOrEqual(PLAYBOOK_BLOCK_BUDGET);
    const json = JSON.stringify(blocks);
    expect(json).not.toMatch(/no owner_|— ⚠️/);
    const items = await h.db.prisma.checklistItem.findMany({
      where: { incidentId: inc.id, list: "playbook" },
      orderBy: { position: "asc" },
    });
    const first = items[0]!;
    expect(json).toContain(`*Next:* ${first.number} `);
    // step 1 (DETECT) has its controls; steps 2–5 are one line each with their progress
    const step1 = items.filter((i) => i.stepKey === first.stepKey);
    for (const i of step1) expect(blocks.some((b) => b.block_id === `item|playbook|${i.number}`)).toBe(true);
    const collapsed = blocks.filter((b) => String(b.block_id).startsWith("step|playbook|"));
    expect(
      collapsed.map((b) =>
        b.text.text
          .match(/\*(\d)\. (\w+)/)
          ?.slice(1, 3)
          .join(" ")
          .toUpperCase(),
      ),
    ).toEqual(["2 ASSESS", "3 MITIGATE", "4 COMMUNICATE", "5 RESOLVE"]);
    expect(collapsed[0].text.text).toMatch(/0\/\d+ done/);
    // the fallback text still lists every item (notifications, screen readers)
    for (const i of items) expect(playbook.text).toContain(i.number);

    // Finishing step 1 moves the full view to step 2; step 1 becomes one line "n/n done" with its owner.
    for (const i of step1) await runCommand(h, "/incident", `done ${i.number}`, { userId: "UKIM", channelId: inc.channelId! });
    const moved = await eventually(
      async () => {
        const b: any[] = (await messages(inc.id)).playbook.blocks;
        return b.some((x) => x.block_id === "step|playbook|1") && b.some((x) => x.block_id === "item|playbook|2.1") ? b : null;
      },
      10_000,
      "playbook moved on to step 2",
    );
    const done1 = moved.find((b) => b.block_id === "step|playbook|1");
    expect(done1.text.text).toContain(`✅ *1. `);
    expect(done1.text.text).toContain(`${step1.length}/${step1.length} done`);
    expect(done1.text.text).toContain("<@UKIM>");
    expect(JSON.stringify(moved)).toContain("*Next:* 2.1 ");
    expect(h.fake.violations).toEqual([]);
  });

  it("*Show all steps* and `/incident show all` show every item with its controls, only to whoever asked", async () => {
    const inc = await declareAndProvision(h, "P3 Null rate on tenure");
    const { playbook } = await messages(inc.id);
    const showAll = playbook.blocks.find((b: any) => b.block_id === "show_all|playbook").elements[0];
    expect(showAll.action_id).toBe(ACTIONS.playbookShowAll);
    const before = h.fake.ephemerals.length;
    await h.slack.blockAction({
      userId: "UDECL",
      channelId: inc.channelId!,
      messageTs: inc.playbookTs!,
      actionId: showAll.action_id,
      value: showAll.value,
    });
    const eph: any = await eventually(
      () => h.fake.ephemerals.slice(before).find((e: any) => e.via === "chat.postEphemeral" && e.user === "UDECL"),
      10_000,
      "ephemeral full playbook",
    );
    const items = await h.db.prisma.checklistItem.findMany({ where: { incidentId: inc.id, list: "playbook" } });
    const ids = new Set(eph.blocks.map((b: any) => b.block_id));
    for (const i of items) expect(ids.has(`item|playbook|${i.number}`) || ids.has(`item|playbook|${i.number}|text`)).toBe(true);

    const shown = await runCommand(h, "/incident", "show all", { userId: "UDECL", channelId: inc.channelId! });
    expect(shown.body.response_type ?? "ephemeral").toBe("ephemeral");
    for (const i of items) expect(JSON.stringify(shown.body.blocks)).toContain(`*${i.number}*`);
    expect(h.fake.violations).toEqual([]);
  });
});
