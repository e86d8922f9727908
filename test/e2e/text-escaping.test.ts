import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";
import { jobsIdle } from "../helpers/reviews.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();
const TOKEN = "escape-test-token";
const HOSTILE = "<!channel> <!here> <@U999> <https://evil.example|Open the dashboard> & co";
const ESCAPED = "&lt;!channel&gt; &lt;!here&gt; &lt;@U999&gt; &lt;https://evil.example|Open the dashboard&gt; &amp; co";
/** Control sequences nobody but us may put in a message: broadcasts, a stranger's mention, a disguised link. */
const RAW = ["<!channel>", "<!here>", "<@U999>", "<https://evil.example", "& co"];

/** Every mrkdwn/plain text string inside blocks. */
function blockTexts(node: unknown, out: { type: string; text: string }[] = []) {
  if (Array.isArray(node)) for (const n of node) blockTexts(n, out);
  else if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (typeof o.text === "string" && typeof o.type === "string") out.push({ type: o.type, text: o.text });
    for (const v of Object.values(o)) if (v && typeof v === "object") blockTexts(v, out);
  }
  return out;
}

describe.each(kinds)("outside text cannot ping the channel or plant links (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, {
      env: { ALERT_WEBHOOK_TOKEN: TOKEN, ALERTS_CHANNEL_ID: "CALERTS", STAKEHOLDER_CHANNEL_ID: "CSTAKE" },
    });
    h.fake.ensureChannel({ id: "CALERTS", name: "alerts", members: ["UBOT"] });
    h.fake.ensureChannel({ id: "CSTAKE", name: "stakeholders", members: ["UBOT"] });
  });
  afterAll(async () => {
    await h?.close();
  });

  const alert = (severity: string, fingerprint: string) =>
    fetch(`${h.appUrl}/alerts/generic`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({
        source: "drift-monitor",
        title: `PSI high ${HOSTILE}`,
        description: `Summary ${HOSTILE}`,
        severity,
        fingerprint,
        labels: { team: "ml" },
        links: [{ text: "dashboard", url: "https://grafana.example/d/1" }],
      }),
    });

  it("alerts, declarations, notes and updates: text fallbacks and blocks carry the outside text escaped", async () => {
    expect((await alert("critical", "esc/p1")).status).toBe(202);
    expect((await alert("warning", "esc/p3")).status).toBe(202);
    await runCommand(h, "/incident", `declare P2 Title ${HOSTILE}`, { userId: "UDECL", channelId: "CGENERAL" });
    const declared = await eventually(
      () => h.db.prisma.incident.findFirst({ where: { title: { startsWith: "Title " }, provisionedAt: { not: null } } }),
      15_000,
      "declared incident provisioned",
    );
    const fromAlert = await eventually(
      () => h.db.prisma.incident.findFirst({ where: { title: { startsWith: "PSI high" }, provisionedAt: { not: null } } }),
      15_000,
      "alert incident provisioned",
    );
    await runCommand(h, "/incident", `update Stakeholders: ${HOSTILE}`, { userId: "UDECL", channelId: declared.channelId! });
    await runCommand(h, "/incident", "note cc <@UALICE|alice> <!channel>", { userId: "UDECL", channelId: declared.channelId! });
    await runCommand(h, "/incident", `resolve Fixed ${HOSTILE}`, { userId: "UDECL", channelId: declared.channelId! });
    await eventually(() => h.fake.messages("CALERTS").length > 0, 10_000, "triage message");
    await eventually(() => h.fake.messages(fromAlert.channelId!).some((m) => m.text.includes("opened by")), 10_000, "alert context posted");
    await eventually(() => h.fake.messages("CSTAKE").length >= 2, 10_000, "stakeholder posts");
    await jobsIdle(h, ["post", "render", "provision"]);

    const sent = [...h.fake.callsTo("chat.postMessage"), ...h.fake.callsTo("chat.update"), ...h.fake.callsTo("chat.postEphemeral")].map(
      (c) => ({ where: `${c.method} ${c.args.channel}`, text: String(c.args.text ?? ""), blocks: c.args.blocks }),
    );
    for (const e of h.fake.ephemerals)
      if (e.via === "response_url") sent.push({ where: "response_url", text: String(e.body.text ?? ""), blocks: e.body.blocks });
    expect(sent.length).toBeGreaterThan(8);

    const leaks: string[] = [];
    for (const s of sent) {
      for (const raw of RAW) if (s.text.includes(raw)) leaks.push(`${s.where} text: ${s.text.slice(0, 160)}`);
      for (const b of blockTexts(s.blocks)) {
        if (b.type === "plain_text") continue; // Slack shows plain_text as typed: no mentions, no links
        for (const raw of RAW) if (b.text.includes(raw)) leaks.push(`${s.where} block: ${b.text.slice(0, 160)}`);
      }
    }
    expect(leaks).toEqual([]);

    // The escaped form is there, once (not &amp;lt;): the text still says what the sender wrote.
    const texts = sent.map((s) => s.text);
    const hasEscaped = (re: RegExp) => texts.some((t) => re.test(t) && t.includes(ESCAPED));
    expect(hasEscaped(/opened by a drift-monitor alert/)).toBe(true); // the alert context in the incident channel
    expect(hasEscaped(/^P3 alert: PSI high/)).toBe(true); // triage
    expect(hasEscaped(/INC-\d+ P2 investigating: Title/)).toBe(true); // header of the declared incident
    expect(hasEscaped(/Stakeholders: /)).toBe(true); // the stakeholder update
    expect(hasEscaped(/Fixed /)).toBe(true); // the resolve summary announced
    expect(texts.some((t) => t.includes("&amp;lt;") || t.includes("&amp;amp;"))).toBe(false);
    // A note keeps the colleague its author mentioned, not the broadcast.
    expect(texts).toContain("📝 Note from <@UDECL>: cc <@UALICE|alice> &lt;!channel&gt;");
    // Our own mentions still work.
    expect(texts.some((t) => t.includes("<@UDECL>"))).toBe(true);
    expect(h.fake.violations).toEqual([]);
  }, 60_000);
});
