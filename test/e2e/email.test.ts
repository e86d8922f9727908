import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { declareAndProvision, eventually, type Harness, jobsDrained, runCommand, startHarness } from "../helpers/harness.js";
import { startSmtp } from "../helpers/smtp.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();
const STAKE = "CSTAKEMAIL";

// Email through a real SMTP server (smtp-server + mailparser on 127.0.0.1, AUTH required): what arrives is
// what was sent, and a relay that refuses or hangs up costs a retry, never the email.
describe.each(kinds)("email beyond the channel (%s)", (kind) => {
  let h: Harness;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    h = await startHarness(kind, {
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: "Incident bot <incidents@example.com>",
        LEADERSHIP_EMAILS: "ceo@example.com, cto@example.com",
        PRODUCT_EMAILS: "pm@example.com",
        STAKEHOLDER_CHANNEL_ID: STAKE,
      },
    });
    h.fake.ensureChannel({ id: STAKE, name: "stakeholders" });
  });
  afterAll(async () => {
    expect(h.fake.violations).toEqual([]);
    await h?.close();
    await smtp?.close();
  });
  const subjectOf = (m: (typeof smtp.received)[number]) => m.parsed.subject ?? "";
  const mailsFor = (ref: string) => smtp.received.filter((m) => subjectOf(m).startsWith(`[${ref}]`));

  it("previews the leadership summary without sending, then emails it (text + HTML, channel link) and meets the clock", async () => {
    const inc = await declareAndProvision(h, "P2 Lead scores stale for EMEA");
    const ref = `INC-${inc.id}`;
    await runCommand(h, "/incident", "action Backfill the EMEA scores <@UDATA01> due 2026-12-10", {
      userId: "UCOMMS",
      channelId: inc.channelId!,
    });
    const preview = await runCommand(h, "/incident", "summary --preview", { userId: "UCOMMS", channelId: inc.channelId! });
    expect(preview.text).toContain(`Subject: [${ref}] Lead scores stale for EMEA — investigating`);
    expect(preview.text).toContain("Nothing was sent");
    expect(preview.text).toContain("ceo@example.com, cto@example.com");
    expect(await h.db.prisma.mailDelivery.count({ where: { incidentId: inc.id } })).toBe(0);
    const leadership = await h.db.prisma.clock.findUnique({
      where: { incidentId_kind: { incidentId: inc.id, kind: "leadership_summary" } },
    });
    expect(leadership?.metAt ?? null).toBeNull();

    const reply = await runCommand(h, "/incident", "summary", { userId: "UCOMMS", channelId: inc.channelId! });
    expect(reply.text).toContain(`Leadership summary sent to <#${STAKE}>`);
    expect(reply.text).toContain("Also emailed to ceo@example.com, cto@example.com");
    const [mail] = await eventually(() => (mailsFor(ref).length ? mailsFor(ref) : null), 10_000, "summary email");
    expect(mail.envelopeFrom).toBe("incidents@example.com");
    expect(mail.envelopeTo.sort()).toEqual(["ceo@example.com", "cto@example.com"]);
    expect(mail.parsed.from?.text).toContain("incidents@example.com");
    expect(subjectOf(mail)).toBe(`[${ref}] Lead scores stale for EMEA — investigating`);
    const link = `https://slack.com/app_redirect?channel=${inc.channelId}`;
    expect(mail.parsed.text).toContain("Impact:");
    expect(mail.parsed.text).toContain("Root cause:");
    // The owner by the name Slack shows (the fake names its made-up users like their ids, in lower case), not an id.
    expect(mail.parsed.text).toMatch(/Backfill the EMEA scores \(owner: udata01, due 2026-12-10\)/);
    expect(mail.parsed.text).not.toContain("UDATA01");
    expect(mail.parsed.text).toContain(`Incident channel: ${link}`);
    expect(mail.parsed.html || "").toContain(`<a href="${link}">`);
    expect(mail.parsed.html || "").toContain("<h2");
    expect(mail.parsed.messageId).toMatch(new RegExp(`incident-bot\\.${ref}\\.mail-\\d+@example\\.com`));

    const clock = await h.db.prisma.clock.findUniqueOrThrow({
      where: { incidentId_kind: { incidentId: inc.id, kind: "leadership_summary" } },
    });
    expect(clock.metAt).not.toBeNull();
    const sent = await eventually(
      () => h.db.prisma.timelineEvent.findFirst({ where: { incidentId: inc.id, kind: "mail.sent" } }),
      5000,
      "mail.sent event",
    );
    expect(sent.data).toMatchObject({ mail: "leadership-summary", recipients: 2, attempts: 1 });
    // The Slack summary still goes to the stakeholder channel.
    await eventually(() => h.fake.messages(STAKE).find((m) => m.text.includes(`Leadership summary: ${ref}`)), 5000, "Slack summary");
  });

  it("emails a human product update to PRODUCT_EMAILS with the text escaped in the HTML part", async () => {
    const inc = await declareAndProvision(h, "P2 Churn model serving 500s");
    const ref = `INC-${inc.id}`;
    const reply = await runCommand(h, "/incident", "update Scores <b>delayed</b> & retried; no data loss.", {
      userId: "UCOMMS",
      channelId: inc.channelId!,
    });
    expect(reply.text).toContain("Also emailed to pm@example.com");
    const [mail] = await eventually(() => (mailsFor(ref).length ? mailsFor(ref) : null), 10_000, "product email");
    expect(mail.envelopeTo).toEqual(["pm@example.com"]);
    expect(subjectOf(mail)).toBe(`[${ref}] Churn model serving 500s — investigating`);
    expect(mail.parsed.text).toContain("Scores <b>delayed</b> & retried; no data loss.");
    expect(mail.parsed.text).toMatch(/Next update by \d\d:\d\d UTC/);
    expect(mail.parsed.html || "").toContain("Scores &lt;b&gt;delayed&lt;/b&gt; &amp; retried");
    expect(mail.parsed.html || "").not.toContain("<b>delayed");
  });

  it("retries a relay that refuses and then drops the line: one notice in the channel, the email arrives once", async () => {
    const inc = await declareAndProvision(h, "P2 Feature store lag");
    const ref = `INC-${inc.id}`;
    smtp.next("refuse", "drop");
    await runCommand(h, "/incident", "summary", { userId: "UCOMMS", channelId: inc.channelId! });
    const notices = () => h.fake.messages(inc.channelId!).filter((m) => m.text.includes("could not be sent"));
    const notice = await eventually(() => notices()[0], 15_000, "failing notice");
    expect(notice.text).toContain("leadership summary email");
    expect(notice.text).toContain("ceo@example.com, cto@example.com");
    expect(notice.text).toMatch(/after 2 attempts/);
    expect(notice.text).toContain("retried automatically");
    await eventually(() => mailsFor(ref).length === 1, 20_000, "email delivered on the third attempt");
    await eventually(
      () => h.fake.messages(inc.channelId!).find((m) => m.text.includes("was delivered") && m.text.includes("after 3 attempts")),
      10_000,
      "delivered notice",
    );
    await jobsDrained(h);
    expect(mailsFor(ref)).toHaveLength(1);
    expect(notices()).toHaveLength(1);
    const row = await h.db.prisma.mailDelivery.findFirstOrThrow({ where: { incidentId: inc.id } });
    expect(row.attempts).toBe(3);
    expect(row.sentAt).not.toBeNull();
    expect(await h.db.prisma.timelineEvent.count({ where: { incidentId: inc.id, kind: "mail.failing" } })).toBe(1);
    expect(smtp.sessions.slice(-3)).toEqual(["refuse", "drop", "accept"]);
  });

  it("refuses arguments to summary other than --preview with the usage", async () => {
    const inc = await h.db.prisma.incident.findFirstOrThrow({ where: { channelId: { not: null } } });
    const reply = await runCommand(h, "/incident", "summary now please", { userId: "UCOMMS", channelId: inc.channelId! });
    expect(reply.text).toContain("--preview");
    expect(reply.text).toContain("/incident summary [--preview]");
  });
});
