import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addNote } from "../../src/incidents/add-note.js";
import { setItemOwner } from "../../src/incidents/checklist-items.js";
import { declareIncident } from "../../src/incidents/declare-incident.js";
import { setStatus } from "../../src/incidents/set-status.js";
import { draftReview } from "../../src/reviews/draft-review.js";
import { openGate } from "../../src/gates/open-gate.js";
import { setGateItemOwner } from "../../src/gates/set-gate-item-owner.js";
import { markGateItemNa } from "../../src/gates/mark-gate-item-na.js";
import { recordMeasuredValue } from "../../src/gates/record-measured-value.js";
import { loadGateView } from "../../src/gates/gate-view.js";
import { declareAndProvision, type Harness, jobsDrained } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";
import { get, signIn, startWebHarness } from "../helpers/web.js";

const kinds = await dbKinds();
const LEAD = "U0LEADWEB";
const OUTSIDER = "U0OUTSIDE";
const OWNER = "U0GATEOWN";

/** The cells of each row of the table with `caption`, as text. */
function tableRows(raw: string, caption: string): string[][] {
  const page = squash(raw);
  const at = page.indexOf(`<caption>${caption}</caption>`);
  if (at < 0) return [];
  const table = page.slice(at, page.indexOf("</table>", at));
  const body = table.slice(table.indexOf("<tbody>"));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) =>
    [...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((c) =>
      c[1]!
        .replace(/<[^>]+>/g, " ")
        .replace(/&#(\d+);/g, (_x, n) => String.fromCharCode(Number(n)))
        .replace(/\s+/g, " ")
        .trim(),
    ),
  );
}

/** The page with whitespace between and around tags removed (the renderer's indentation is not content). */
const squash = (page: string) => page.replace(/\s+/g, " ").replace(/>\s+/g, ">").replace(/\s+</g, "<");

describe.each(kinds)("web view pages (%s)", (kind) => {
  let h: Harness;
  let member: string;
  let outsider: string;
  let publicId: number;
  let privateId: number;
  let dataId: number;

  beforeAll(async () => {
    h = await startWebHarness(kind);
    const ctx = h.app.ctx;
    publicId = (
      await declareIncident(ctx, {
        title: "Model latency p99 doubled",
        severity: "P1",
        category: "model",
        service: "lead-scoring",
        declaredBy: LEAD,
        source: "command",
      })
    ).incident.id;
    dataId = (
      await declareIncident(ctx, {
        title: "Null rate on lead_source",
        severity: "P3",
        category: "data",
        declaredBy: LEAD,
        source: "command",
      })
    ).incident.id;
    await setStatus(ctx, dataId, LEAD, "resolved", "backfilled");
    const priv = await declareAndProvision(h, "--private P2 Payroll model leaking salaries", LEAD);
    privateId = priv.id;
    member = (await signIn(h, { userId: LEAD })).session!;
    outsider = (await signIn(h, { userId: OUTSIDER })).session!;
  });
  afterAll(async () => {
    await h?.close();
  });

  it("lists open and recent incidents with filters by severity, status, category and model", async () => {
    const ids = async (q: string, who = member) =>
      tableRows((await get(`${h.appUrl}/app/incidents${q}`, who)).text, "Incidents, newest first").map((r) =>
        r[0]!.replace(/\s*\(private\)$/, ""),
      );
    expect(await ids("")).toEqual([`INC-${privateId}`, `INC-${dataId}`, `INC-${publicId}`]);
    expect(await ids("?severity=P1")).toEqual([`INC-${publicId}`]);
    expect(await ids("?status=resolved")).toEqual([`INC-${dataId}`]);
    expect(await ids("?status=open")).toEqual([`INC-${privateId}`, `INC-${publicId}`]);
    expect(await ids("?category=data")).toEqual([`INC-${dataId}`]);
    expect(await ids("?model=lead-scoring&status=open")).toEqual([`INC-${publicId}`]);
    // The private incident is not listed for someone outside its channel.
    expect(await ids("", outsider)).toEqual([`INC-${dataId}`, `INC-${publicId}`]);
    const page = (await get(`${h.appUrl}/app/incidents?severity=P1`, member)).text;
    expect(squash(page)).toContain(`<option value="P1" selected>P1 (1)</option>`);
  });

  it("shows one incident: header, playbook with owners, clocks, timeline with actors, review draft, channel link", async () => {
    const ctx = h.app.ctx;
    const item = await h.db.prisma.checklistItem.findFirst({
      where: { incidentId: publicId, list: "playbook" },
      orderBy: { position: "asc" },
    });
    expect(item).not.toBeNull();
    await setItemOwner(ctx, publicId, LEAD, item!.number, "U0OWNER01");
    await addNote(ctx, publicId, "U0NOTER01", "rolled back to v41");
    await draftReview(ctx, publicId, LEAD);
    const r = await get(`${h.appUrl}/app/incidents/INC-${publicId}`, member);
    expect(r.status).toBe(200);
    expect(squash(r.text)).toContain(`<h1>INC-${publicId}: Model latency p99 doubled</h1>`);
    const playbook = tableRows(r.text, "Playbook items with owners and states");
    expect(playbook.find((row) => row[0] === item!.number)).toEqual([item!.number, item!.stepTitle, item!.text, "@U0OWNER01", "to do"]);
    const clocks = tableRows(r.text, "Response and communication clocks");
    expect(clocks.map((c) => c[0])).toContain("Acknowledge");
    const timeline = tableRows(r.text, "Timeline, oldest first");
    expect(timeline.find((t) => t[2] === "note")).toEqual([expect.any(String), "@U0NOTER01", "note", "rolled back to v41"]);
    expect(timeline.find((t) => t[2] === "owner set")?.[1]).toBe(`@${LEAD}`);
    expect(squash(r.text)).toContain("<h2>Review draft</h2>");
    expect(r.text).toMatch(/<pre class="review">[^<]*INC-/);
  });

  it("a private incident is shown only to its channel's members; others get the same 404 as a missing one", async () => {
    const channel = (await h.db.prisma.incident.findUniqueOrThrow({ where: { id: privateId } })).channelId!;
    expect(h.fake.channel(channel)!.members).toContain(LEAD);
    // With PUBLIC_URL and sign-in set, the pinned header links to the incident's page.
    const header: any = h.fake.messages(channel).find((m) => m.blocks?.some((b: any) => b.block_id === "header_links"));
    const links = header!.blocks.find((b: any) => b.block_id === "header_links").elements;
    expect(links).toContainEqual(
      expect.objectContaining({ url: `${h.appUrl}/app/incidents/INC-${privateId}`, text: expect.objectContaining({ text: "Web view" }) }),
    );
    const asMember = await get(`${h.appUrl}/app/incidents/INC-${privateId}`, member);
    expect(asMember.status).toBe(200);
    expect(asMember.text).toContain("Payroll model leaking salaries");
    const asOutsider = await get(`${h.appUrl}/app/incidents/INC-${privateId}`, outsider);
    const missing = await get(`${h.appUrl}/app/incidents/INC-99999`, outsider);
    expect(asOutsider.status).toBe(404);
    expect(asOutsider.text).toBe(missing.text);
    expect(asOutsider.text).not.toContain("Payroll");
    // conversations.members was asked once for the channel (by the listing above) and then cached.
    await get(`${h.appUrl}/app/incidents/INC-${privateId}`, member);
    await get(`${h.appUrl}/app/incidents/INC-${privateId}`, outsider);
    expect(h.fake.callsTo("conversations.members").map((c) => c.args.channel)).toEqual([channel]);
  });

  it("when Slack cannot say who is in the channel, the private incident stays hidden", async () => {
    // A channel not cached yet: a second private incident, Slack failing its member list.
    const other = await declareAndProvision(h, "--private P3 Another secret", LEAD);
    h.fake.failNext("conversations.members", { status: 500, times: 10 });
    const r = await get(`${h.appUrl}/app/incidents/INC-${other.id}`, member);
    expect(r.status).toBe(404);
    expect(r.text).not.toContain("Another secret");
  });

  it("shows gates and one gate's items, N/A justification, measured value and full audit trail with time and actor", async () => {
    const ctx = h.app.ctx;
    h.fake.ensureChannel({ id: "CRELEASE", name: "releases" });
    const { gate } = await openGate(ctx, { templateId: "shadow", subject: "lead-scoring-v7", channelId: "CRELEASE", openedBy: OWNER });
    const view = await loadGateView(h.db.prisma, gate.id);
    const measured = view.items.find((i) => i.criterion)!;
    const plain = view.items.find((i) => !i.criterion)!;
    await setGateItemOwner(ctx, gate.id, OWNER, plain.number, "U0ITEMOWN");
    await markGateItemNa(ctx, gate.id, OWNER, plain.number, "no PII in this model");
    await recordMeasuredValue(ctx, gate.id, OWNER, measured.number, "1");
    await jobsDrained(h);
    const gateMessage = h.fake.messages("CRELEASE").find((m) => JSON.stringify(m.blocks ?? []).includes(`/app/gates/G-${gate.id}`));
    expect(JSON.stringify(gateMessage!.blocks)).toContain(
      `<${h.appUrl}/app/gates/G-${gate.id}|Audit trail of G-${gate.id} in the web view>`,
    );
    const list = await get(`${h.appUrl}/app/gates`, outsider);
    expect(tableRows(list.text, "Gates, open first")[0]!.slice(0, 4)).toEqual([`G-${gate.id}`, gate.title, "lead-scoring-v7", "open"]);
    const r = await get(`${h.appUrl}/app/gates/G-${gate.id}`, outsider);
    expect(r.status).toBe(200);
    const items = tableRows(r.text, "Items with owners, states and measured values");
    expect(items.find((i) => i[0] === plain.number)!.slice(3, 5)).toEqual(["@U0ITEMOWN", "N/A: no PII in this model"]);
    expect(items.find((i) => i[0] === measured.number)![5]).toContain(measured.criterion!.label);
    const audit = tableRows(r.text, "Every change, with time and actor");
    expect(audit.map((a) => [a[1], a[2]])).toEqual([
      [`@${OWNER}`, "opened from template shadow for lead-scoring-v7"],
      [`@${OWNER}`, `item ${plain.number}: owner @U0ITEMOWN`],
      [`@${OWNER}`, `item ${plain.number}: N/A — no PII in this model`],
      [`@${OWNER}`, expect.stringContaining(`item ${measured.number}: measured 1`)],
    ]);
    for (const a of audit) expect(a[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect((await get(`${h.appUrl}/app/gates/G-99999`, outsider)).status).toBe(404);
    expect((await get(`${h.appUrl}/app/gates/G-${gate.id}%2F..`, outsider)).status).toBe(404);
  });

  it("each page is well under 100 KB", async () => {
    for (const path of ["/app/incidents", `/app/incidents/INC-${publicId}`, "/app/gates", "/app/stats"]) {
      const r = await get(`${h.appUrl}${path}`, member);
      expect(r.status, path).toBe(200);
      expect(Buffer.byteLength(r.text), path).toBeLessThan(100 * 1024);
    }
  });
});
