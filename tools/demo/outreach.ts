/**
 * The demo's outside parts for issue 16 (reaching people beyond the channel): a local SMTP relay that keeps
 * what it receives (smtp-server + mailparser), so the demo can show the emails the bot sends, and the fake
 * PagerDuty Events API v2 (tools/fake-pagerduty), so it can show the pages, and the fake Jira Cloud
 * (tools/fake-jira), so it can show action items becoming issues and a Jira webhook closing one.
 */
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { startFakePagerDuty } from "../fake-pagerduty/server.js";
import { startFakeJira } from "../fake-jira/server.js";

export interface DemoMail {
  to: string[];
  subject: string;
  text: string;
}

export async function startDemoOutreach() {
  const mails: DemoMail[] = [];
  const smtp = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    logger: false,
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((m) => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: m.subject ?? "", text: m.text ?? "" });
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
  const port = ((smtp as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
  let shown = 0;
  const routingKey = "DEMOROUTINGKEY000000000000000000";
  const pagerduty = await startFakePagerDuty({ routingKeys: [routingKey], apiToken: "demo-rest-token" });
  // Who is on call on the demo's schedule: dana is in Slack (the fake maps udana@fake.slack.test to UDANA), chris is not.
  pagerduty.oncalls = [
    { scheduleId: "PDEMO01", scheduleName: "ML primary", user: { id: "PDANA", name: "Dana", email: "udana@fake.slack.test" } },
    { scheduleId: "PDEMO01", scheduleName: "ML primary", user: { id: "PCHRIS", name: "Chris", email: "chris@example.com" }, level: 2 },
  ];
  // Kim owns the demo's action item; the fake Slack gives UKIM the email ukim@fake.slack.test.
  const jiraSecret = "demo-jira-webhook-secret";
  const jira = await startFakeJira({
    email: "incident-bot@example.com",
    apiToken: "demo-jira-token",
    users: [{ accountId: "712020:demo-kim", email: "ukim@fake.slack.test", displayName: "Kim Park" }],
  });
  return {
    env: {
      JIRA_URL: jira.url,
      JIRA_EMAIL: "incident-bot@example.com",
      JIRA_API_TOKEN: "demo-jira-token",
      JIRA_PROJECT_KEY: "OPS",
      JIRA_WEBHOOK_SECRET: jiraSecret,
      PAGERDUTY_ROUTING_KEY: routingKey,
      PAGERDUTY_EVENTS_URL: pagerduty.eventsUrl,
      PAGERDUTY_API_TOKEN: "demo-rest-token",
      PAGERDUTY_SCHEDULE_IDS: "PDEMO01",
      PAGERDUTY_API_URL: pagerduty.apiUrl,
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: "Incident bot <incidents@example.com>",
      LEADERSHIP_EMAILS: "vp-ml@example.com,cto@example.com",
      PRODUCT_EMAILS: "product-leads@example.com",
    },
    /** Prints the emails received since the last call. */
    showMail(print: (line: string) => void) {
      for (const m of mails.slice(shown)) {
        print(`📧 To: ${m.to.join(", ")}`);
        print(`   Subject: ${m.subject}`);
        for (const line of m.text.split("\n").slice(2, 14)) print(`   ${line}`);
        print("");
      }
      shown = mails.length;
    },
    /** Prints every PagerDuty alert the bot raised, with what happened to it. */
    showPages(print: (line: string) => void) {
      for (const a of pagerduty.alerts.values()) {
        print(`📟 PagerDuty alert ${a.dedupKey} (${a.severity}): ${a.summary}`);
        print(`   events: ${a.log.join(" → ")}; now ${a.status}`);
      }
    },
    /** Prints the Jira issues the bot created, with their fields and status. */
    showJira(print: (line: string) => void) {
      for (const i of jira.issues) {
        const f = i.fields;
        print(`🎫 Jira ${i.key} [${i.status.name}] ${f.summary}`);
        print(`   assignee ${f.assignee?.accountId ?? "unassigned"}, due ${f.duedate ?? "—"}, labels ${(f.labels as string[]).join(", ")}`);
      }
    },
    /** Moves every issue to Done in the fake Jira and sends its signed jira:issue_updated webhook to the bot. */
    async closeInJira(appUrl: string, print: (line: string) => void) {
      for (const i of jira.issues) {
        jira.transition(i.key, "Done", "done");
        const r = await jira.sendWebhook(`${appUrl}/webhooks/jira`, i.key, {
          secret: jiraSecret,
          user: { accountId: "712020:demo-kim", displayName: "Kim Park" },
        });
        print(`POST /webhooks/jira (${i.key} → Done, X-Hub-Signature) → ${r.status} ${JSON.stringify(r.json)}`);
      }
    },
    close: async () => {
      await jira.close();
      await pagerduty.close();
      await new Promise<void>((r) => smtp.close(() => r()));
    },
  };
}
