import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeJira, startFakeJira } from "../../tools/fake-jira/server.js";
import { startFakeSlack } from "../../tools/fake-slack/server.js";
import { slackSender } from "../../tools/fake-slack/signed-requests.js";
import { startChildApp } from "../helpers/child-app.js";
import { childAppDatabase } from "../helpers/child-app-db.js";
import {
  declareAndProvision,
  eventually,
  type Harness,
  jobsDrained,
  runCommand,
  SIGNING_SECRET,
  startHarness,
} from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();
const EMAIL = "incident-bot@example.com";
const TOKEN = "ATATT3xFfGF0-fake-token";
const SECRET = "jira-webhook-secret-for-tests";

const ALICE = { accountId: "712020:aa11-alice", email: "alice@example.com", displayName: "Alice Ng" };
const CAROL = { accountId: "712020:cc33-carol", email: "carol@example.com", displayName: "Carol Diaz", assignable: false };

const jiraEnv = (jira: FakeJira) => ({
  JIRA_URL: jira.url,
  JIRA_EMAIL: EMAIL,
  JIRA_API_TOKEN: TOKEN,
  JIRA_PROJECT_KEY: "OPS",
  JIRA_WEBHOOK_SECRET: SECRET,
});

// Review action items as Jira issues through a fake Jira Cloud REST v3 that follows Atlassian's docs (basic auth,
// 201 / 400 `errors` / 401 / 429), and the Jira webhook that closes them, on both databases.
describe.each(kinds)("action items in Jira (%s)", (kind) => {
  let h: Harness;
  let jira: FakeJira;
  beforeAll(async () => {
    jira = await startFakeJira({ email: EMAIL, apiToken: TOKEN, users: [ALICE, CAROL] });
    h = await startHarness(kind, { env: jiraEnv(jira) });
    h.fake.addUser({ id: "UALICE", name: "alice", email: ALICE.email });
    h.fake.addUser({ id: "UCAROL", name: "carol", email: CAROL.email });
  });
  afterAll(async () => {
    expect(h.fake.violations).toEqual([]);
    await h?.close();
    await jira?.close();
  });
  const said = (channelId: string, re: RegExp) => h.fake.messages(channelId).filter((m) => re.test(m.text ?? ""));
  const cmd = async (channelId: string, text: string, userId = "ULEAD") =>
    (await runCommand(h, "/incident", text, { userId, channelId })).text;
  const item = (id: number) => h.db.prisma.actionItem.findUniqueOrThrow({ where: { id } });
  const keyOf = async (id: number) => eventually(async () => (await item(id)).jiraKey, 15_000, `Jira key of action item #${id}`);
  const webhook = (key: string, opts: Parameters<FakeJira["sendWebhook"]>[2] = { secret: SECRET }) =>
    jira.sendWebhook(`${h.appUrl}/webhooks/jira`, key, opts);
  const reviewMessage = async (incidentId: number) => {
    const r = await eventually(
      () => h.db.prisma.review.findFirst({ where: { incidentId, messageTs: { not: null } } }),
      15_000,
      "review posted",
    );
    const inc = await h.db.prisma.incident.findUniqueOrThrow({ where: { id: incidentId } });
    return () => h.fake.messages(inc.channelId!).find((m) => m.ts === r.messageTs)!;
  };

  let reviewed: { incidentId: number; channelId: string; alice: number; bob: number };

  it("makes each action item of a review one Jira issue with the right fields, shown in the review and by actions", async () => {
    const inc = await declareAndProvision(h, "P2 Lead scores stale for EMEA");
    const ch = inc.channelId!;
    await cmd(ch, "resolve rolled back to v41");
    const review = await reviewMessage(inc.id);
    const reply = await cmd(ch, "action Add a PSI alert on lead_source <@UALICE|alice> due 2026-12-20");
    expect(reply).toMatch(/Action item #\d+ added for <@UALICE>, due 2026-12-20\. It becomes a Jira issue in OPS/);
    await cmd(ch, "action Backfill the missing EMEA scores <@UBOB|bob>");
    const [alice, bob] = (await h.db.prisma.actionItem.findMany({ where: { incidentId: inc.id }, orderBy: { id: "asc" } })).map(
      (a) => a.id,
    );
    const aliceKey = await keyOf(alice!);
    const bobKey = await keyOf(bob!);
    expect(new Set([aliceKey, bobKey]).size).toBe(2);

    const a = jira.issue(aliceKey)!.fields;
    expect(a.project).toEqual({ key: "OPS" });
    expect(a.issuetype).toEqual({ name: "Task" });
    expect(a.summary).toBe("Add a PSI alert on lead_source");
    expect(a.assignee).toEqual({ accountId: ALICE.accountId });
    expect(a.duedate).toBe("2026-12-20");
    expect(a.labels).toEqual([`incident-INC-${inc.id}`, `incident-bot-action-${alice}`]);
    const links = JSON.stringify(a.description);
    expect(a.description.type).toBe("doc");
    expect(links).toContain(`"href":"https://slack.com/app_redirect?channel=${ch}"`);
    expect(links).toContain(`INC-${inc.id}`);
    // Bob has no Jira account: created unassigned, and the channel is told so.
    const b = jira.issue(bobKey)!.fields;
    expect(b.assignee).toBeUndefined();
    expect(b.duedate).toBeUndefined();
    const bobRow = await item(bob!);
    expect(bobRow).toMatchObject({ jiraState: "created", jiraAssignee: null, jiraUrl: `${jira.url}/browse/${bobKey}` });
    await eventually(
      () =>
        said(
          ch,
          new RegExp(
            `#${bob} of INC-${inc.id} is Jira issue <${jira.url}/browse/${bobKey}\\|${bobKey}> \\(\\*unassigned\\*: no Jira account has the email ubob@fake.slack.test`,
          ),
        )[0],
      10_000,
      "unassigned notice",
    );
    await eventually(
      () => said(ch, new RegExp(`#${alice} of INC-${inc.id} is Jira issue <[^|]+\\|${aliceKey}> \\(assigned`))[0],
      10_000,
      "created notice",
    );
    expect(jira.callsTo("/rest/api/3/user/search").map((c) => decodeURIComponent(c.path))).toEqual(
      expect.arrayContaining([expect.stringContaining("query=alice@example.com"), expect.stringContaining("query=ubob@fake.slack.test")]),
    );
    // The review message lists both with their links; `actions` shows them too.
    await eventually(
      () => JSON.stringify(review().blocks).includes(bobKey) && JSON.stringify(review().blocks).includes(aliceKey),
      10_000,
      "review lists the issues",
    );
    const listed = await cmd(ch, "actions");
    expect(listed).toContain(`<${jira.url}/browse/${aliceKey}|${aliceKey}>`);
    expect(listed).toContain(`#${bob} Backfill the missing EMEA scores — <@UBOB>`);
    // Drafting the review again owes nothing new: each item is created once.
    expect(await cmd(ch, "review")).not.toMatch(/being created in Jira/);
    await jobsDrained(h);
    expect(jira.creates().filter((c) => c.body.fields.labels.includes(`incident-bot-action-${alice}`))).toHaveLength(1);
    expect(jira.creates().filter((c) => c.body.fields.labels.includes(`incident-bot-action-${bob}`))).toHaveLength(1);
    expect(await h.db.prisma.timelineEvent.count({ where: { incidentId: inc.id, kind: "jira.issue_created" } })).toBe(2);
    reviewed = { incidentId: inc.id, channelId: ch, alice: alice!, bob: bob! };
  });

  it("closes the action item when its issue is done in Jira (webhook), and the review message updates", async () => {
    const { incidentId, channelId, alice } = reviewed;
    const key = (await item(alice)).jiraKey!;
    const review = await reviewMessage(incidentId);
    expect((await webhook(key, {})).status).toBe(401); // no secret at all
    const wrong = await webhook(key, { secret: "not-the-secret" });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toMatch(/does not match JIRA_WEBHOOK_SECRET/);
    expect((await webhook(key, { secret: "not-the-secret", via: "query" })).status).toBe(401);
    expect((await webhook(key, { secret: "not-the-secret", via: "bearer" })).status).toBe(401);
    expect((await item(alice)).status).toBe("open");

    const bad = await webhook(key, { secret: SECRET, via: "query", body: '{"webhookEvent": "jira:issue_updated", "issue": ' });
    expect(bad).toMatchObject({ status: 400, json: { error: "body is not valid JSON" } });
    const noKey = await webhook(key, {
      secret: SECRET,
      body: JSON.stringify({ webhookEvent: "jira:issue_updated", issue: { fields: {} } }),
    });
    expect(noKey.status).toBe(400);
    expect(noKey.json.error).toMatch(/issue\.key/);
    const unknown = await webhook("ELSE-404", { secret: SECRET });
    expect(unknown).toMatchObject({ status: 200, json: { handled: "ignored" } });
    expect(unknown.json.reason).toMatch(/not an action item's issue/);
    jira.transition(key, "In Progress", "indeterminate");
    expect((await webhook(key, { secret: SECRET })).json.reason).toMatch(/is not done/);
    expect((await item(alice)).status).toBe("open");

    jira.transition(key, "Done", "done");
    const closed = await webhook(key, { secret: SECRET, user: { accountId: ALICE.accountId, displayName: "Alice Ng" } });
    expect(closed).toMatchObject({ status: 200, json: { handled: "closed", actionItemId: alice } });
    expect((await item(alice)).status).toBe("done");
    const ev = await h.db.prisma.timelineEvent.findFirstOrThrow({ where: { incidentId, kind: "action_item.completed" } });
    expect(ev.data).toEqual({ actionItemId: alice, via: "jira", issueKey: key });
    expect(ev.actorId).toBe("jira:Alice Ng");
    await eventually(
      () =>
        said(
          channelId,
          new RegExp(
            `Action item #${alice} of INC-${incidentId} done: its Jira issue <[^|]+\\|${key}> is \\*Done\\* \\(Alice Ng in Jira\\)`,
          ),
        )[0],
      10_000,
      "done line",
    );
    await eventually(
      () => /1 open action item/.test(JSON.stringify(review().blocks)) && JSON.stringify(review().blocks).includes(`☑️ #${alice}`),
      10_000,
      "review message updated",
    );
    // Jira's retry of the same delivery, and a later one, change nothing.
    const again = await webhook(key, { secret: SECRET, via: "bearer", identifier: closed.identifier });
    expect(again).toMatchObject({ status: 200, json: { handled: "ignored" } });
    await jobsDrained(h);
    expect(said(channelId, new RegExp(`Action item #${alice} of INC-${incidentId} done`))).toHaveLength(1);
  });

  it("says Jira's field errors (400) in words once, does not retry them, and review retries them", async () => {
    const inc = await declareAndProvision(h, "P3 Feature freshness lag");
    const ch = inc.channelId!;
    jira.failNext("/rest/api/3/issue", 400, {
      errors: { duedate: "Due date must be a working day", customfield_10020: "Sprint is required." },
    });
    await cmd(ch, "action Page the data team on freshness lag <@UALICE> due 2026-12-19");
    const [a] = await h.db.prisma.actionItem.findMany({ where: { incidentId: inc.id } });
    const notice = await eventually(() => said(ch, /Jira refused action item/)[0], 10_000, "refused notice");
    expect(notice.text).toContain("duedate: Due date must be a working day");
    expect(notice.text).toContain("customfield_10020: Sprint is required.");
    expect(notice.text).toContain("/incident review");
    await jobsDrained(h);
    expect(await item(a!.id)).toMatchObject({ jiraState: "failed", jiraKey: null });
    const label = `incident-bot-action-${a!.id}`;
    const posts = () => jira.callsTo("/rest/api/3/issue").filter((c) => c.body?.fields?.labels?.includes(label));
    expect(posts().map((c) => c.status)).toEqual([400]);
    expect(said(ch, /Jira refused action item/)).toHaveLength(1);
    expect(await cmd(ch, "review")).toMatch(/1 action item\(s\) without a Jira issue are being created in Jira/);
    const key = await keyOf(a!.id);
    expect(posts().map((c) => c.status)).toEqual([400, 201]);
    expect(jira.issue(key)!.fields.assignee).toEqual({ accountId: ALICE.accountId });
  });

  it("says a 401 in words (check JIRA_EMAIL and JIRA_API_TOKEN), once", async () => {
    const inc = await declareAndProvision(h, "P3 Ranking latency p99 doubled");
    const ch = inc.channelId!;
    jira.failNext("/rest/api/3/search/jql", 401);
    await cmd(ch, "action Add a latency SLO dashboard <@UALICE>");
    const notice = await eventually(() => said(ch, /Jira refused action item/)[0], 10_000, "401 notice");
    expect(notice.text).toMatch(/Client must be authenticated.*HTTP 401.*check JIRA_EMAIL and JIRA_API_TOKEN/);
    await jobsDrained(h);
    expect(said(ch, /Jira refused action item/)).toHaveLength(1);
    const [a] = await h.db.prisma.actionItem.findMany({ where: { incidentId: inc.id } });
    expect((await item(a!.id)).jiraState).toBe("failed");
  });

  it("creates the issue unassigned, and says so, when the owner cannot be assigned or the user search answers 404", async () => {
    const inc = await declareAndProvision(h, "P3 Null rate on country_code");
    const ch = inc.channelId!;
    await cmd(ch, "action Add a null-rate check <@UCAROL>");
    const [carol] = await h.db.prisma.actionItem.findMany({ where: { incidentId: inc.id } });
    const carolKey = await keyOf(carol!.id);
    expect(jira.issue(carolKey)!.fields.assignee).toBeUndefined();
    await eventually(
      () => said(ch, /\*unassigned\*: Jira would not assign it to Carol Diaz: User 'Carol Diaz' cannot be assigned issues\./)[0],
      10_000,
      "not assignable notice",
    );

    jira.failNext("/rest/api/3/user/search", 404);
    await cmd(ch, "action Document the country_code contract <@UALICE>");
    const items = await h.db.prisma.actionItem.findMany({ where: { incidentId: inc.id }, orderBy: { id: "asc" } });
    const key = await keyOf(items[1]!.id);
    expect(jira.issue(key)!.fields.assignee).toBeUndefined();
    await eventually(
      () => said(ch, new RegExp(`${key}> \\(\\*unassigned\\*: no Jira account has the email alice@example.com`))[0],
      10_000,
      "404 notice",
    );
  });

  it("names an owner whose Slack profile shows no email by their Slack name in the issue, and says why it is unassigned", async () => {
    h.fake.addUser({ id: "UDANA01", name: "dana", real_name: "Dana Wu", email: undefined });
    const inc = await declareAndProvision(h, "P3 Stale features in the ranker");
    const ch = inc.channelId!;
    await cmd(ch, "action Re-run the feature backfill <@UDANA01>");
    const [dana] = await h.db.prisma.actionItem.findMany({ where: { incidentId: inc.id } });
    const key = await keyOf(dana!.id);
    const fields = jira.issue(key)!.fields;
    expect(fields.assignee).toBeUndefined();
    expect(JSON.stringify(fields.description)).toContain('"text":"Owner: dana"');
    await eventually(
      () => said(ch, new RegExp(`${key}> \\(\\*unassigned\\*: the owner's Slack profile shows no email to find them in Jira`))[0],
      10_000,
      "no-email notice",
    );
  });

  it("waits out Jira's 429 (Retry-After) and creates the issue once, without a failure notice", async () => {
    const inc = await declareAndProvision(h, "P3 Queue depth on scoring workers");
    const ch = inc.channelId!;
    jira.failNext("/rest/api/3/search/jql", 429, { retryAfter: 1 });
    jira.failNext("/rest/api/3/issue", 429, { retryAfter: 1 });
    await cmd(ch, "action Autoscale the scoring workers <@UALICE>");
    const [a] = await h.db.prisma.actionItem.findMany({ where: { incidentId: inc.id } });
    await keyOf(a!.id);
    await jobsDrained(h);
    const label = `incident-bot-action-${a!.id}`;
    expect(
      jira
        .callsTo("/rest/api/3/issue")
        .filter((c) => c.body?.fields?.labels?.includes(label))
        .map((c) => c.status),
    ).toEqual([429, 201]);
    expect(said(ch, /could not be created in Jira|Jira refused/)).toHaveLength(0);
  });
});

describe("Jira off", () => {
  it("is invisible without its variables: no Jira calls or states, and the webhook says how to set it up", async () => {
    const h = await startHarness(kinds[0]!);
    try {
      const inc = await declareAndProvision(h, "P3 Something drifted");
      const reply = await runCommand(h, "/incident", "action Write the runbook <@UALICE>", { userId: "U1", channelId: inc.channelId! });
      expect(reply.text).not.toMatch(/Jira/);
      const [a] = await h.db.prisma.actionItem.findMany({ where: { incidentId: inc.id } });
      expect(a!.jiraState).toBeNull();
      expect((await runCommand(h, "/incident", "actions", { userId: "U1", channelId: inc.channelId! })).text).not.toMatch(/Jira/);
      const res = await fetch(`${h.appUrl}/webhooks/jira?secret=x`, { method: "POST", body: "{}" });
      expect(res.status).toBe(503);
      expect((await res.json()).error).toMatch(/JIRA_URL/);
    } finally {
      await h.close();
    }
  });
});

// A process killed while Jira is creating the issue (the fake has it, its 201 is still on the way): the restarted
// app finds the issue by its label and records it; Jira never gets a second create.
describe.each(kinds)("kill -9 between Jira's create and our record (%s)", (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  });

  it("creates the issue once and records its key after the restart", { timeout: 180_000 }, async () => {
    const fake = await startFakeSlack();
    cleanups.push(() => fake.close());
    fake.addUser({ id: "UALICE", name: "alice", email: ALICE.email });
    const jira = await startFakeJira({ email: EMAIL, apiToken: TOKEN, users: [ALICE] });
    cleanups.push(() => jira.close());
    jira.createDelayMs = 5_000; // the issue exists in Jira at once; its 201 comes after the kill
    const env: Record<string, string> = {
      SLACK_BOT_TOKEN: "xoxb-kill-jira",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      SLACK_PACING: "false",
      JOB_POLL_SECONDS: "0.5",
      ...jiraEnv(jira),
    };
    const database = await childAppDatabase(kind, "kill-jira", cleanups);
    Object.assign(env, database.env);
    let app = await startChildApp(env);
    cleanups.push(async () => void (await app.kill()));
    const sender = slackSender({ appUrl: app.url, signingSecret: SIGNING_SECRET, fake });
    expect((await sender.command("/incident", "declare P3 kill-jira", { userId: "ULEAD", channelId: "CGENERAL" })).status).toBe(200);
    const created = await eventually(
      () => fake.callsTo("conversations.create").find((c) => c.response?.ok && String(c.args.name).includes("kill-jira")),
      20_000,
      "incident channel",
    );
    const channelId = (created.response as any).channel.id as string;
    await eventually(() => fake.pins(channelId).length === 2, 20_000, "incident provisioned");
    const res = await sender.command("/incident", "action Add a drift alert on lead_source <@UALICE> due 2026-12-21", {
      userId: "ULEAD",
      channelId,
    });
    expect(res.status).toBe(200);
    await eventually(() => jira.creates().length === 1, 20_000, "the create reached Jira");
    expect(await app.kill("SIGKILL")).toBe(null); // its 201 is still being delayed: the app never saw the key

    const key = jira.issues[0]!.key;
    app = await startChildApp(env);
    await eventually(
      () => fake.messages(channelId).some((m) => (m.text ?? "").includes(`is Jira issue <${jira.url}/browse/${key}|${key}> (assigned`)),
      45_000,
      "the restarted app records the issue it finds by label",
    ).catch((e) => {
      throw new Error(`${e.message}\n${app.output().slice(-3000)}`);
    });
    expect(jira.creates()).toHaveLength(1);
    expect(jira.issues).toHaveLength(1);
    expect(jira.callsTo("/rest/api/3/search/jql").length).toBeGreaterThanOrEqual(2);
    expect(await app.kill("SIGTERM")).toBe(0);
    const db = await database.open();
    try {
      const items = await db.prisma.actionItem.findMany();
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ jiraKey: key, jiraState: "created", jiraUrl: `${jira.url}/browse/${key}` });
      expect(await db.prisma.timelineEvent.count({ where: { kind: "jira.issue_created" } })).toBe(1);
    } finally {
      await database.close();
    }
  });
});
