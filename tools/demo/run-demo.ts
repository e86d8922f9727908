/**
 * `npm run demo`: the whole bot on the embedded database against the built-in fake Slack, playing one
 * incident from alert to review and printing what the incident channel shows. No Slack account needed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { startFakeSlack } from "../fake-slack/server.js";
import { slackSender } from "../fake-slack/signed-requests.js";
import { createLogger } from "../../src/logger.js";
import { blocksToText } from "./render-text.js";
import { showReplicaReadiness } from "./replicas.js";
import { demoStatusPage, startDemoStatuspage } from "./status-page.js";
import { demoWebView, freePort, webEnv } from "./web-view.js";
import { startDemoOutreach } from "./outreach.js";
import { startDemoModels } from "./models.js";

const SECRET = "demo-signing-secret";
const TOKEN = "demo-alert-token";
const NAMES: Record<string, string> = {
  UDANA: "dana (on-call)",
  ULEE: "lee (ML lead)",
  USAM: "sam (MLOps)",
  UKIM: "kim (data eng)",
  UPAT: "pat (product)",
};

// On a terminal Slack's *bold*, _italic_ and `code` are shown as such (ANSI); piped or redirected, as plain text.
const STYLE = { ansi: Boolean(process.stdout.isTTY) };
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), "incident-bot-demo-"));
  const fake = await startFakeSlack({ users: Object.entries(NAMES).map(([id, name]) => ({ id, name })) });
  const stakeholders = fake.ensureChannel({ id: "CSTAKE", name: "ml-stakeholders" });
  const releases = fake.ensureChannel({ id: "CRELEASE", name: "ml-releases" });
  fake.ensureChannel({ id: "CTRIAGE", name: "ml-alerts" });
  const statuspage = await startDemoStatuspage();
  const outreach = await startDemoOutreach(); // local SMTP relay (issue 16)
  const webPort = await freePort(); // the web view's PUBLIC_URL names the real port (issue 17)
  const models = await startDemoModels(); // fake MLflow registry + model service (issue 14)
  const config = loadConfig({
    ...statuspage.env,
    ...outreach.env,
    ...models.env,
    ...webEnv(webPort, fake.baseUrl),
    SLACK_BOT_TOKEN: "xoxb-demo",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATA_DIR: dataDir,
    ALERT_WEBHOOK_TOKEN: TOKEN,
    INCIDENT_RESPONDERS: "UDANA,USAM",
    STAKEHOLDER_CHANNEL_ID: stakeholders.id,
    ALERTS_CHANNEL_ID: "CTRIAGE",
    TIMEZONE: process.env.TIMEZONE ?? "UTC",
    GATE_TEMPLATES_DIR: fileURLToPath(new URL("../../templates", import.meta.url)), // the team template example-fairness-review.yaml
    ACK_TARGET_SECONDS: "4", // short so the demo shows a missed-ack nudge; the default is 300
    SLACK_PACING: "false",
    JOB_POLL_SECONDS: "0.5",
    LOG_LEVEL: "silent",
  });
  console.log(bold("\nIncident & Gate Bot — demo on the embedded database against a fake Slack\n"));
  console.log(dim(`database: PGlite in ${dataDir}   fake Slack Web API: ${fake.apiUrl}\n`));
  const app = await startApp({ config, log: createLogger(process.env.DEMO_LOG ?? "silent") });
  const appUrl = `http://127.0.0.1:${app.port}`;
  models.connect(appUrl);
  const slack = slackSender({ appUrl, signingSecret: SECRET, fake });
  const printed = new Map<string, string>(); // ts → last rendered text

  /** Waits until the bot has stopped talking to Slack for a moment (its jobs are done). */
  const settle = async (quietMs = 700, maxMs = 15_000) => {
    const start = Date.now();
    let last = fake.calls.length;
    let since = Date.now();
    while (Date.now() - start < maxMs) {
      await sleep(100);
      if (fake.calls.length !== last) {
        last = fake.calls.length;
        since = Date.now();
      } else if (Date.now() - since >= quietMs) return;
    }
  };

  /** Prints new messages of a channel as Slack would show them, and for edited ones only what changed. */
  const show = (channelId: string, label: string) => {
    for (const ch of [stakeholders.id, releases.id, "CTRIAGE", channelId]) NAMES[ch] ??= fake.channel(ch)?.name ?? ch;
    for (const m of fake.messages(channelId)) {
      const files = (m.files ?? []).map((f: any) => `📎 ${f.title ?? f.name ?? f.id}`).join("\n");
      const text = [blocksToText(m.blocks, m.text, NAMES, STYLE), files].filter(Boolean).join("\n");
      const before = printed.get(`${channelId}:${m.ts}`);
      if (before === text) continue;
      printed.set(`${channelId}:${m.ts}`, text);
      const pinned = fake.pins(channelId).some((p: any) => p.ts === m.ts || p.message?.ts === m.ts);
      const lines = before ? text.split("\n").filter((l) => !before.split("\n").includes(l)) : text.split("\n");
      if (lines.length === 0) continue;
      console.log(dim(`${label} ${pinned ? "📌 " : ""}bot${before ? " (edited the message; changed lines)" : ""}:`));
      console.log(`${lines.map((l) => `  ${l}`).join("\n")}\n`);
    }
  };
  const step = (title: string) => console.log(bold(`\n▶ ${title}\n`));
  const command = async (user: string, text: string, channelId: string, slash = "/incident") => {
    console.log(dim(`  ${NAMES[user]} types: ${slash} ${text}`));
    const res = await slack.command(slash, text, { userId: user, channelId });
    const id = res.responseUrl?.split("/").pop();
    await settle(slash === "/gate" ? 400 : 700);
    const find = () => fake.ephemerals.find((e: any) => e.via === "response_url" && e.id === id) as any;
    for (let i = 0; i < 50 && !find(); i++) await sleep(100); // the reply may come a moment after Slack went quiet
    const reply = find();
    if (reply)
      console.log(
        dim(
          `  (only ${NAMES[user]} sees) ${blocksToText(reply.body.blocks, reply.body.text ?? "", NAMES, STYLE)
            .split("\n")
            .join("\n    ")}`,
        ),
      );
    return reply;
  };

  try {
    step("A drift monitor posts a critical alert (PSI 0.31 > 0.25 on lead_source) to /alerts/generic");
    const alert = {
      source: "drift-monitor",
      title: "PSI 0.31 on feature lead_source",
      fingerprint: "lead-scoring/psi/lead_source",
      model: "lead-scoring",
      service: "lead-scoring-api",
      feature: "lead_source",
      metric: { name: "psi", value: 0.31 },
      labels: { team: "ml" },
      links: [{ text: "drift dashboard", url: "https://grafana.example.com/d/drift" }],
    };
    const res = await fetch(`${appUrl}/alerts/generic`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(alert),
    });
    const body = await res.text();
    console.log(dim(`  HTTP ${res.status} ${body}`));
    let incident = await app.ctx.prisma.incident.findFirst({ orderBy: { id: "desc" } });
    if (!incident) {
      // Alert ingestion not configured in this build: declare by hand instead.
      await command("UDANA", "declare P1 PSI 0.31 on feature lead_source", "CGENERAL");
      incident = await app.ctx.prisma.incident.findFirst({ orderBy: { id: "desc" } });
    }
    await settle();
    // On a busy machine Slack may be quiet for a moment before the channel exists: wait for the declaration's Slack side.
    for (let i = 0; i < 120 && !(await app.ctx.prisma.incident.findUnique({ where: { id: incident!.id } }))?.provisionedAt; i++)
      await sleep(250);
    await settle();
    incident = await app.ctx.prisma.incident.findUniqueOrThrow({ where: { id: incident!.id } });
    const ch = incident.channelId!;
    console.log(
      dim(
        `  → channel #${incident.channelName} created; members: ${fake
          .channel(ch)
          ?.members.map((u: string) => NAMES[u] ?? u)
          .join(", ")}`,
      ),
    );
    show(ch, `#${incident.channelName}`);

    step("Nobody acknowledges within the (demo) 4-second ack target");
    await sleep(4500);
    await settle();
    show(ch, `#${incident.channelName}`);

    step("The on-call acknowledges, takes the lead, and gives playbook items owners");
    await command("UDANA", "ack", ch);
    await command("UDANA", "lead <@UDANA|dana>", ch);
    await command("UDANA", "comms <@UPAT|pat>", ch);
    await command("UDANA", "owner 2.1 <@UKIM|kim>", ch);
    await command("UDANA", "owner 3.1 <@USAM|sam>", ch);
    console.log(dim("  dana presses [Done] on item 1.1 of the pinned playbook"));
    await slack.blockAction({
      userId: "UDANA",
      channelId: ch,
      messageTs: incident.playbookTs!,
      actionId: "item_done:playbook:1.1",
      value: `${incident.id}|playbook|1.1`,
    });
    await settle();
    show(ch, `#${incident.channelName}`);

    step("Root cause found, data pipeline rolled back, stakeholders told");
    await command("UKIM", "status identified", ch);
    await command("USAM", "done 3.1", ch);

    step("The model is rolled back on the registry and serving is verified (MODELS_FILE, MLFLOW_TRACKING_URI)");
    await command("USAM", "model", ch);
    console.log(dim("  sam types: /incident rollback"));
    const proposal = await slack.command("/incident", "rollback", { userId: "USAM", channelId: ch });
    await settle();
    const asked = fake.ephemerals.find((e: any) => e.via === "response_url" && e.id === proposal.responseUrl?.split("/").pop()) as any;
    if (asked)
      console.log(
        `  bot (in channel): ${blocksToText(asked.body.blocks, asked.body.text ?? "", NAMES, STYLE)
          .split("\n")
          .join("\n    ")}`,
      );
    show(ch, `#${incident.channelName}`);
    const rollback = await app.ctx.prisma.rollback.findFirst({ where: { incidentId: incident.id }, orderBy: { id: "desc" } });
    if (proposal.status === 200 && rollback) {
      console.log(dim("  sam presses [Roll back]"));
      await slack.blockAction({ userId: "USAM", channelId: ch, actionId: "rollback_confirm", value: String(rollback.id) });
      for (let i = 0; i < 60; i++) {
        const r = await app.ctx.prisma.rollback.findUniqueOrThrow({ where: { id: rollback.id } });
        if (r.state === "verified" || r.state === "failed") break;
        await sleep(250);
      }
      await settle();
      show(ch, `#${incident.channelName}`);
      for (const line of models.describe()) console.log(`  ${line}`);
    }
    await command("USAM", "status mitigated", ch); // already mitigated by the verified rollback: nothing changes
    await command(
      "UPAT",
      "update Lead scores were skewed for 40 minutes; scoring now uses the previous feature snapshot. Next update at resolution.",
      ch,
    );
    await demoStatusPage(
      appUrl,
      (text) => command("UPAT", `statuspage ${text}`, ch),
      async (actionId, value) => {
        await slack.blockAction({ userId: "UPAT", channelId: ch, actionId, value });
        await settle();
      },
      statuspage.fake,
    );
    await command("UDANA", "note upstream CRM export changed lead_source categories", ch);
    await command("UDANA", "action Add schema contract test for the CRM export <@UKIM|kim> due 2026-12-04", ch);
    show(ch, `#${incident.channelName}`);
    show(stakeholders.id, "#ml-stakeholders");

    step("Leadership and product hear by email too (SMTP_URL, MAIL_FROM, LEADERSHIP_EMAILS, PRODUCT_EMAILS)");
    await command("ULEE", "summary --preview", ch);
    await command("ULEE", "summary", ch);
    await settle(1000);
    outreach.showMail((line) => console.log(`  ${line}`));

    step("Resolved: the bot drafts the post-incident review from the timeline and uploads it");
    await command("UDANA", "resolve CRM export fixed; feature pipeline re-run and verified", ch);
    await settle(1500);
    show(ch, `#${incident.channelName}`);
    const upload = fake.uploads.at(-1) as any;
    if (upload) {
      console.log(bold(`Uploaded file ${upload.filename ?? upload.title ?? ""}:`));
      console.log(
        `${String(upload.content ?? upload.bytes ?? "")
          .split("\n")
          .map((l) => `  ${l}`)
          .join("\n")}`,
      );
    }
    await command("UDANA", "timeline", ch);

    step("The action item is a Jira issue (JIRA_URL, JIRA_EMAIL, JIRA_API_TOKEN, JIRA_PROJECT_KEY); Done in Jira closes it");
    outreach.showJira((line) => console.log(`  ${line}`));
    await outreach.closeInJira(appUrl, (line) => console.log(`  ${line}`));
    await settle(1000);
    show(ch, `#${incident.channelName}`);
    await command("UKIM", "actions", ch);

    await command("UDANA", "oncall", ch);

    step("A release gate: the fix ships only through /gate (owners per item, measured criteria, a peer approves)");
    const gate = (user: string, text: string) => command(user, text, releases.id, "/gate");
    await gate("ULEE", "open fairness-review lead-scoring v8");
    const opened = await app.ctx.prisma.gate.findFirst({ orderBy: { id: "desc" } });
    const g = opened ? `G-${opened.id}` : "G-1";
    await gate("ULEE", `assign-all ${g} <@UKIM|kim>`);
    await gate("ULEE", `owner ${g} 3.1 <@USAM|sam>`);
    await gate("UKIM", `done ${g} 1.1`);
    await gate("UKIM", `na ${g} 1.2 Intended use is written down in the lead-scoring model card already`);
    await gate("UKIM", `done ${g} 2.1`);
    await gate("UKIM", `done ${g} 2.2`); // refused: a measured criterion needs a passing value first
    await gate("UKIM", `record ${g} 2.2 0.74`); // recorded, failing
    await gate("UKIM", `record ${g} 2.2 0.86`);
    await gate("UKIM", `done ${g} 2.2`);
    await gate("UKIM", `record ${g} 2.3 3%`);
    await gate("UKIM", `done ${g} 2.3`);
    await gate("USAM", `done ${g} 3.1`);
    await gate("UKIM", `approve ${g}`); // refused: kim owns items of this gate
    await gate("ULEE", `approve ${g}`); // lee owns none: a peer
    await settle();
    show(releases.id, "#ml-releases");
    step("PagerDuty saw the P1 paged, acknowledged with /incident ack and resolved with /incident resolve (PAGERDUTY_ROUTING_KEY)");
    outreach.showPages((line) => console.log(`  ${line}`));

    console.log(bold("\nReadiness, for a load balancer in front of several replicas:"));
    await showReplicaReadiness(appUrl, (line) => console.log(`  ${line}`));

    step("The web view: Sign in with Slack (here: the fake's authorize page), incidents, gates and charts");
    await demoWebView(appUrl, "UDANA", `INC-${incident.id}`, (line) => console.log(`  ${line}`));
    console.log(bold(`\nSign in to the web view: ${appUrl}/app/login`), dim("(the fake Slack asks which user you are)"));

    const calls = new Map<string, number>();
    for (const c of fake.calls) calls.set(c.method, (calls.get(c.method) ?? 0) + 1);
    console.log(bold("\nSlack Web API calls the bot made:"), [...calls].map(([m, n]) => `${m}×${n}`).join(", "));
    console.log(bold("\nDone."), "Run the tests with `npm test`; run against real Slack with `npm start` (see README).\n");
    if (process.stdin.isTTY) {
      console.log(`The bot keeps running so the sign-in link above works: open ${appUrl}/app/login. Press Enter to stop.`);
      await new Promise((r) => process.stdin.once("data", r));
    }
  } finally {
    await app.stop();
    await fake.close();
    await statuspage.fake.close();
    await outreach.close();
    await models.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error("demo failed:", e);
  process.exit(1);
});
