import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";
import { get, signIn, startWebHarness } from "../helpers/web.js";

const kinds = await dbKinds();
const LEAD = "U0PAGELD1";
const OUTSIDER = "U0PAGEOUT";
const MINUTE = 60_000;

/** The list's rows as [incident ref, severity]; its count line; its Older / Newer links (decoded, relative). */
function readList(page: string) {
  const table = page.slice(page.indexOf("Incidents, newest first"), page.indexOf("</table>"));
  const rows = [...table.matchAll(/<tr>(.*?)<\/tr>/gs)]
    .map((m) =>
      [...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((c) =>
        c[1]!
          .replace(/<[^>]+>/g, " ")
          .replace(/\s+/g, " ")
          .trim(),
      ),
    )
    .filter((cells) => cells.length > 0)
    .map((cells) => [cells[0]!.replace(/\s*\(private\)$/, ""), cells[2]!]);
  const link = (text: string) => {
    const m = new RegExp(`<a href="([^"]+)" rel="(?:prev|next)">${text}</a>`).exec(page);
    return m ? m[1]!.replace(/&#38;/g, "&") : null;
  };
  const count = /<p id="list-count">\s*([^<]*?)\s*<\/p>/.exec(page)?.[1] ?? null;
  return { rows, count, older: link("Older →"), newer: link("← Newer") };
}

describe.each(kinds)("web view incident list paging (%s)", (kind) => {
  let h: Harness;
  let member: string;
  let outsider: string;
  /** Every public incident, newest first by (declaredAt, id): what the pages must show, in order. */
  let publicOrder: { ref: string; severity: string; at: number; id: number }[];
  let memberPrivate: { ref: string; at: number; id: number };
  let otherPrivate: { ref: string; at: number; id: number };

  beforeAll(async () => {
    h = await startWebHarness(kind);
    const base = Date.now() - 60 * MINUTE;
    // 120 public incidents a minute apart, two of them at the same instant (the id breaks the tie), P1 and P2 alternating.
    const at = (i: number) => base - (i === 11 ? 10 : i) * MINUTE;
    const row = (title: string, declaredAt: Date, severity: string, isPrivate: boolean, channelId: string) => ({
      title,
      severity,
      status: "investigating",
      category: "model",
      declaredBy: LEAD,
      isPrivate,
      // Provisioned already, so the reconciler leaves the rows alone.
      channelId,
      channelName: channelId.toLowerCase(),
      provisionedAt: declaredAt,
      detectedAt: declaredAt,
      declaredAt,
    });
    await h.db.prisma.incident.createMany({
      data: Array.from({ length: 120 }, (_, i) => row(`paging ${i}`, new Date(at(i)), i % 2 ? "P2" : "P1", false, `CPAGEPUB${i}`)),
    });
    // Two private incidents inside the first and second pages' span: one whose channel has LEAD, one without.
    h.fake.ensureChannel({ id: "CPAGEPRIV1", name: "inc-page-secret-1", isPrivate: true, members: [LEAD] });
    h.fake.ensureChannel({ id: "CPAGEPRIV2", name: "inc-page-secret-2", isPrivate: true, members: ["U0SOMEONE"] });
    await h.db.prisma.incident.createMany({
      data: [
        row("Secret payroll drift", new Date(base - 49.5 * MINUTE), "P1", true, "CPAGEPRIV1"),
        row("Secret churn model leak", new Date(base - 20.5 * MINUTE), "P1", true, "CPAGEPRIV2"),
      ],
    });
    const all = await h.db.prisma.incident.findMany({
      select: { id: true, title: true, severity: true, declaredAt: true, isPrivate: true },
    });
    const view = (r: (typeof all)[number]) => ({ ref: `INC-${r.id}`, severity: r.severity, at: r.declaredAt.getTime(), id: r.id });
    publicOrder = all
      .filter((r) => !r.isPrivate)
      .map(view)
      .sort((a, b) => b.at - a.at || b.id - a.id);
    memberPrivate = view(all.find((r) => r.title === "Secret payroll drift")!);
    otherPrivate = view(all.find((r) => r.title === "Secret churn model leak")!);
    member = (await signIn(h, { userId: LEAD })).session!;
    outsider = (await signIn(h, { userId: OUTSIDER })).session!;
  });
  afterAll(async () => {
    await h?.close();
  });

  const list = async (path: string, who: string) => {
    const r = await get(`${h.appUrl}${path}`, who);
    expect(r.status, path).toBe(200);
    return readList(r.text);
  };

  it("shows 50 a page, newest first; Older → goes to the older ones and ← Newer comes back", async () => {
    const refs = publicOrder.map((p) => p.ref);
    const first = await list("/app/incidents", outsider);
    expect(first.count).toBe("120 incidents, 50 a page.");
    expect(first.rows.map((r) => r[0])).toEqual(refs.slice(0, 50));
    expect(first.newer).toBeNull();
    expect(first.older).toMatch(/^\/app\/incidents\?before=\d+-\d+$/);
    const second = await list(first.older!, outsider);
    expect(second.rows.map((r) => r[0])).toEqual(refs.slice(50, 100));
    const third = await list(second.older!, outsider);
    expect(third.rows.map((r) => r[0])).toEqual(refs.slice(100));
    expect(third.older).toBeNull();
    // Back up: the same pages again, and the first one has no Newer.
    const back = await list(third.newer!, outsider);
    expect(back.rows.map((r) => r[0])).toEqual(refs.slice(50, 100));
    const top = await list(back.newer!, outsider);
    expect(top.rows.map((r) => r[0])).toEqual(refs.slice(0, 50));
    expect(top.newer).toBeNull();
    // The two incidents declared at the same instant are both shown, the newer id first.
    const tie = publicOrder.filter((p) => p.at === publicOrder.find((q, i) => publicOrder[i + 1]?.at === q.at)!.at);
    expect(tie).toHaveLength(2);
    expect(refs.indexOf(tie[0]!.ref) + 1).toBe(refs.indexOf(tie[1]!.ref));
  });

  it("the filters survive paging, and each filter choice shows its count", async () => {
    const p1 = publicOrder.filter((p) => p.severity === "P1").map((p) => p.ref);
    expect(p1).toHaveLength(60);
    const r = await get(`${h.appUrl}/app/incidents?severity=P1&status=open`, outsider);
    expect(r.text).toContain(`<option value="P1" selected>P1 (60)</option>`);
    expect(r.text).toContain(`<option value="P2">P2 (60)</option>`);
    expect(r.text).toContain(`<option value="resolved">resolved (0)</option>`);
    const first = readList(r.text);
    expect(first.count).toBe("60 incidents, 50 a page.");
    expect(first.rows.map((x) => x[0])).toEqual(p1.slice(0, 50));
    expect(new URLSearchParams(first.older!.split("?")[1]).get("severity")).toBe("P1");
    const second = await list(first.older!, outsider);
    expect(second.rows.map((x) => x[0])).toEqual(p1.slice(50));
    expect(second.rows.every((x) => x[1] === "P1")).toBe(true);
    expect(second.older).toBeNull();
    const q = new URLSearchParams(second.newer!.split("?")[1]);
    expect([q.get("severity"), q.get("status")]).toEqual(["P1", "open"]);
    expect((await list(second.newer!, outsider)).rows.map((x) => x[0])).toEqual(p1.slice(0, 50));
  });

  it("a private incident is neither listed nor counted for someone outside its channel; its member sees it in place", async () => {
    const out = [await list("/app/incidents", outsider)];
    while (out.at(-1)!.older) out.push(await list(out.at(-1)!.older!, outsider));
    const seen = out.flatMap((p) => p.rows.map((r) => r[0]));
    expect(seen).toHaveLength(120);
    expect(seen).not.toContain(memberPrivate.ref);
    expect(seen).not.toContain(otherPrivate.ref);
    const outPage = await get(`${h.appUrl}/app/incidents?severity=P1`, outsider);
    expect(outPage.text).not.toContain("Secret");
    expect(readList(outPage.text).count).toBe("60 incidents, 50 a page.");
    expect(outPage.text).toContain(`<option value="P1" selected>P1 (60)</option>`);

    // LEAD is in the first private channel only: 121 incidents, that one in its place by time, the other still hidden.
    const mine = [...publicOrder, { ...memberPrivate, severity: "P1" }].sort((a, b) => b.at - a.at || b.id - a.id).map((p) => p.ref);
    const first = await list("/app/incidents", member);
    expect(first.count).toBe("121 incidents, 50 a page.");
    const second = await list(first.older!, member);
    const third = await list(second.older!, member);
    expect([...first.rows, ...second.rows, ...third.rows].map((r) => r[0])).toEqual(mine);
    expect(mine.indexOf(memberPrivate.ref)).toBe(50); // first on page 2
    expect(second.rows[0]![0]).toBe(memberPrivate.ref);
    const p1 = await get(`${h.appUrl}/app/incidents?severity=P1`, member);
    expect(p1.text).toContain(`<option value="P1" selected>P1 (61)</option>`);
    expect(p1.text).not.toContain("Secret churn model leak");

    // One conversations.members per private channel for every view of this file (cached), none for the public ones.
    const asked = h.fake.callsTo("conversations.members").map((c) => c.args.channel);
    expect([...asked].sort()).toEqual(["CPAGEPRIV1", "CPAGEPRIV2"]);
  });

  it("a place that is not one of ours is a 400 saying what is expected", async () => {
    for (const q of ["before=yesterday", "after=12-0", "before=1-1&after=2-2"]) {
      const r = await get(`${h.appUrl}/app/incidents?${q}`, outsider);
      expect(r.status, q).toBe(400);
      expect(r.text, q).toMatch(/before|after/);
    }
    expect((await get(`${h.appUrl}/app/incidents?before=1-1&after=2-2`, outsider)).text).toContain("not both");
  });
});
