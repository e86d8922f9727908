import type { HeaderBlock, KnownBlock, ModalView, SectionBlock } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import {
  alertDigestMessage,
  alertOpenedMessage,
  allAlertsResolvedPrompt,
  type AlertView,
  triageDoneMessage,
  triageMessage,
  unincidentedAlertsBlocks,
} from "../../blocks/alerts.js";
import {
  gateListBlocks,
  gateMessageBlocks,
  gateStatusBlocks,
  ownerDigestMessage,
  templateListBlocks,
  unownedAnnouncement,
} from "../../blocks/gate.js";
import { homeView } from "../../blocks/home.js";
import {
  type ChecklistItemView,
  checklistBlocks,
  HEADER_BLOCK_BUDGET,
  incidentHeaderBlocks,
  type IncidentView,
} from "../../blocks/incident.js";
import { incidentListBlocks, timelineBlocks } from "../../blocks/lists.js";
import { declareModal, naModal, ownerModal } from "../../blocks/modals.js";
import { reviewImpactModal, reviewMessageBlocks, type ReviewMessageView } from "../../blocks/review.js";
import {
  clockAlarmMessage,
  leadershipSummaryMessage,
  productUpdateModal,
  productUpdateOfferMessage,
  stakeholderUpdateMessage,
  statusChangeMessage,
} from "../../blocks/stakeholder.js";
import { statsBlocks } from "../../blocks/stats.js";
import { button, section } from "../../blocks/text.js";
import type { GateItemView, GateView } from "../../src/gates/gate-view.js";
import { checklistItem } from "../helpers/items.js";
import { allTemplates } from "../../src/gates/template-registry.js";
import type { IncidentStats } from "../../src/incidents/compute-stats.js";
import { checkMessage, checkView } from "../../tools/fake-slack/block-limits.js";

// Every presenter in blocks/ is built here with ordinary and worst-case data, and each result must pass the
// fake Slack's checks: blocks/ is typed against @slack/types, and the fake must accept what those types allow.

const at = new Date("2026-11-23T09:00:00Z");
const long = (n: number, c = "x") => c.repeat(n);

const incident = (over: Partial<IncidentView> = {}): IncidentView => ({
  id: 42,
  title: "Lead scores stale",
  severity: "P1",
  status: "investigating",
  category: "model",
  service: "scoring",
  summary: "Scores are a day old",
  escalation: "red",
  leadId: "ULEAD",
  commsId: "UCOMMS",
  declaredBy: "UDECL",
  isPrivate: false,
  userFacing: true,
  detectedAt: at,
  acknowledgedAt: null,
  mitigatedAt: null,
  resolvedAt: null,
  ...over,
});

const checklist = (n: number): ChecklistItemView[] =>
  Array.from({ length: n }, (_, i) =>
    checklistItem({
      number: `${Math.floor(i / 5) + 1}.${(i % 5) + 1}`,
      sectionKey: `S${Math.floor(i / 5)}`,
      sectionTitle: `Step ${Math.floor(i / 5) + 1}`,
      text: `Item ${i} ${long(140)}`,
      ownerId: i % 2 ? "U1" : null,
      state: ["todo", "done", "na"][i % 3]!,
      justification: i % 3 === 2 ? long(900, "j") : null,
      completedBy: i % 3 === 1 ? "U2" : null,
    }),
  );

const alert = (over: Partial<AlertView> = {}): AlertView => ({
  id: 7,
  source: "alertmanager",
  title: "PSI drift on lead_source <b>",
  status: "firing",
  severity: "P3",
  description: long(4000, "d"),
  labels: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, long(200, "v")])),
  links: Array.from({ length: 12 }, (_, i) => ({ text: `link ${i} | x`, url: `https://example.com/${i}?a=<b>` })),
  service: "scoring",
  model: "lead-v2",
  metricName: "psi",
  metricValue: 0.31,
  severityReason: "PSI 0.31 > 0.25",
  count: 3,
  silenceId: 2,
  declinedAt: at,
  lastSeenAt: at,
  ...over,
});

const gateItems = (n: number): GateItemView[] =>
  Array.from({ length: n }, (_, i) => ({
    number: `${Math.floor(i / 4) + 1}.${(i % 4) + 1}`,
    sectionKey: `${Math.floor(i / 4) + 1}`,
    sectionTitle: `Section ${Math.floor(i / 4) + 1}`,
    key: `k-${i}`,
    text: `Gate item ${i} ${long(120)}`,
    ownerId: i % 2 ? "U1" : null,
    state: ["todo", "done", "na"][i % 3]!,
    justification: i % 3 === 2 ? long(500, "j") : null,
    criterion: i % 4 === 0 ? { metric: "latency_p99", op: "<", value: 200, unit: "ms", label: "p99 < 200 ms" } : null,
    measuredValue: i % 8 === 0 ? 180 : null,
    measuredText: i % 8 === 0 ? "p99 180 ms" : null,
    measuredPassing: i % 8 === 0 ? i % 16 === 0 : null,
    completedBy: i % 3 === 1 ? "U2" : null,
    completedAt: null,
  }));

const gate = (n: number, status = "open"): GateView => ({
  id: 12,
  templateId: "shadow",
  title: "Shadow deployment",
  subject: "lead-scoring v2",
  status,
  channelId: "CGATE",
  messageTs: "1.2",
  openedBy: "U1",
  overrideReason: "hotfix",
  approvedBy: status === "approved" ? "U3" : null,
  approvedAt: status === "approved" ? at : null,
  createdAt: at,
  items: gateItems(n),
});

const stats: IncidentStats = {
  window: "30d",
  from: at,
  to: at,
  total: 5,
  open: 1,
  mtta: { n: 4, meanSeconds: 300, medianSeconds: 240 },
  mttr: { n: 3, meanSeconds: 7200, medianSeconds: 3600 },
  timeToMitigate: { n: 0, meanSeconds: null, medianSeconds: null },
  bySeverity: { P1: 2, P2: 3 },
  byCategory: { model: 5 },
  breachesByClock: { ack: 1 },
};

const review = (done: boolean): ReviewMessageView => ({
  incidentId: 42,
  title: "Lead scores stale",
  dueDate: "2026-11-30",
  impactText: long(2500, "i"),
  wentWell: Array.from({ length: 40 }, (_, i) => `well ${i} ${long(80)}`),
  wentPoorly: ["paging was slow"],
  openActionItems: 2,
  actionItems: Array.from({ length: 25 }, (_, i) => ({
    id: i + 1,
    incidentId: 42,
    text: long(200, "a"),
    ownerId: "U1",
    dueDate: "2026-12-01",
    status: i % 3 ? "open" : "done",
    jiraKey: i % 2 ? `OPS-${i}` : null,
    jiraUrl: i % 2 ? `https://t.atlassian.net/browse/OPS-${i}` : null,
    jiraState: i % 2 ? "created" : "pending",
    jiraNote: null,
    jiraError: null,
    jiraAssigned: true,
  })),
  proposedActions: [{ text: "Re-check gate G-3 item 2.1 (N/A: 'no shadow traffic')", owner: "U1" }],
  completedAt: done ? at : null,
  completedBy: done ? "U1" : null,
  filename: "INC-42-post-incident-review.md",
});

const stakeholderInc = { ref: "INC-42", title: "Lead scores stale", severity: "P1", status: "identified", channelId: "CINC" };

/** name → a built message (text + blocks) */
const messages: Record<string, { text: string; blocks: KnownBlock[] }> = {
  "alerts.opened": alertOpenedMessage("INC-42", alert()),
  "alerts.triage": triageMessage(alert()),
  "alerts.triageDone": triageDoneMessage(alert(), "Dismissed by <@U1>"),
  "alerts.digest": alertDigestMessage(
    "INC-42",
    Array.from({ length: 300 }, (_, i) => alert({ id: i, status: i % 2 ? "resolved" : "firing" })),
  ),
  "alerts.allResolved": allAlertsResolvedPrompt(42),
  "gate.unowned": unownedAnnouncement({ id: 12, title: "Shadow", subject: "v2" }, gateItems(60)),
  "gate.ownerDigest": ownerDigestMessage(
    Array.from({ length: 400 }, (_, i) => ({ ref: "G-12", title: "Shadow", number: `1.${i}`, text: long(150), channelId: "CGATE" })),
  ),
  "stakeholder.update": stakeholderUpdateMessage(stakeholderInc, {
    text: long(5000, "u"),
    authorId: "U1",
    automatic: false,
    nextUpdateAt: at,
    timezone: "UTC",
  }),
  "stakeholder.updateAuto": stakeholderUpdateMessage(
    { ...stakeholderInc, title: long(300, "t") },
    { text: "", authorId: null, automatic: true, nextUpdateAt: at, timezone: "Europe/Berlin" },
  ),
  "stakeholder.statusChange": statusChangeMessage(stakeholderInc, "identified", "mitigated", "U1", "Rolled back"),
  "stakeholder.leadership": leadershipSummaryMessage({
    inc: { ...stakeholderInc, category: "model", service: "scoring", userFacing: true },
    impact: "2 reps",
    rootCause: null,
    actionItems: [{ id: 1, text: "Add a freshness alert", ownerId: "U1", dueDate: "2026-12-01", status: "open" }],
    highlights: [
      { label: "detected", at },
      { label: "mitigated", at: null },
    ],
    timezone: "UTC",
  }),
  "stakeholder.productOffer": productUpdateOfferMessage(42, long(5000, "p"), ["U1", "U2"], at, "UTC"),
  "stakeholder.clockAlarm": clockAlarmMessage(
    "INC-42",
    [
      { label: "Acknowledge", targetSeconds: 300, sinceWhat: "detection" },
      { label: "Update", targetSeconds: 1800, sinceWhat: "the last update" },
    ],
    [{ label: "Mitigate", targetSeconds: 900, sinceWhat: "detection" }],
    ["U1"],
    ["U2"],
  ),
};

/** name → built blocks (a message's blocks, text added as the fallback) */
const blockLists: Record<string, KnownBlock[]> = {
  "alerts.unincidented": unincidentedAlertsBlocks(Array.from({ length: 80 }, (_, i) => alert({ id: i }))),
  "alerts.unincidentedEmpty": unincidentedAlertsBlocks([]),
  "gate.roomy": gateMessageBlocks(gate(8), "UTC"),
  "gate.overflow": gateMessageBlocks(gate(40), "UTC"),
  "gate.capped": gateMessageBlocks(gate(120), "UTC"),
  "gate.approved": gateMessageBlocks(gate(30, "approved"), "UTC"),
  "gate.status": gateStatusBlocks(gate(200), "UTC"),
  "gate.list": gateListBlocks(
    Array.from({ length: 100 }, (_, i) => ({
      id: i,
      title: "Shadow",
      subject: long(200, "s"),
      templateId: "shadow",
      channelId: "C1",
      items: gateItems(4),
    })),
  ),
  "gate.listEmpty": gateListBlocks([]),
  "gate.templates": templateListBlocks(allTemplates()),
  "incident.header": incidentHeaderBlocks(incident({ title: long(300, "t"), summary: long(5000, "s") }), "Europe/Berlin"),
  // Every part the header can have at once: deadlines, the next step, a model, a long summary, six links, Acknowledge.
  "incident.headerFull": incidentHeaderBlocks(
    incident({
      title: long(300, "t"),
      summary: long(5000, "s"),
      deadlines: [
        { clock: "ack", at },
        { clock: "mitigate", at },
      ],
      nextStep: { number: "1.1", text: long(2000, "n"), ownerId: null },
      model: { name: "lead-scoring", alias: "champion", version: "41", evidence: { metric: "psi", value: 0.31 } },
      links: ["dashboard", "runbook", "status", "review", "web", "extra"].map((kind) => ({
        kind,
        title: long(100, kind),
        url: `https://example.com/${kind}?q=${long(2900, "q")}`,
      })),
    }),
    "UTC",
    "https://incidents.example.com/app/incidents/INC-42",
  ),
  "incident.headerAcked": incidentHeaderBlocks(incident({ acknowledgedAt: at, declaredBy: "alert:alertmanager", isPrivate: true }), "UTC"),
  "incident.checklistRoomy": checklistBlocks(42, "playbook", "Playbook", checklist(10), { targets: { S0: "within 15 minutes" } }),
  "incident.checklistOverflow": checklistBlocks(42, "playbook", "Playbook", checklist(40)),
  "incident.checklistCapped": checklistBlocks(42, "playbook", "Playbook", checklist(120)),
  "incident.checklistResolved": checklistBlocks(42, "playbook", "Playbook", checklist(10), { resolved: true }),
  "lists.incidents": incidentListBlocks(
    Array.from({ length: 70 }, (_, i) => ({
      id: i,
      title: long(200, "t"),
      severity: "P2",
      status: "investigating",
      channelId: i % 2 ? "C1" : null,
      leadId: null,
      declaredAt: at,
      isPrivate: i % 3 === 0,
    })),
    at,
  ),
  "lists.incidentsEmpty": incidentListBlocks([], at),
  "lists.timeline": timelineBlocks(
    42,
    Array.from({ length: 800 }, (_, i) => ({
      at,
      kind: "note.added",
      actorId: i % 2 ? "U1" : "alertmanager",
      text: `note ${i} ${long(300)}`,
    })),
    "UTC",
  ),
  "review.draft": reviewMessageBlocks(review(false)),
  "review.done": reviewMessageBlocks(review(true)),
  stats: statsBlocks(stats),
};

const views: Record<string, unknown> = {
  "home.view": homeView(
    "U1",
    Array.from({ length: 150 }, (_, i) => ({
      kind: i % 2 ? "gate" : "incident",
      ref: `G-${i % 20}`,
      title: long(200, "t"),
      number: `1.${i}`,
      text: long(200),
      channelId: i % 3 ? "C1" : null,
    })),
    at,
    "UTC",
    stats,
  ),
  "home.empty": homeView("U1", [], at, "UTC"),
  "modals.declare": declareModal(
    { title: long(300, "t"), severity: "P1", category: "model", service: long(200, "s"), summary: long(3000, "s") },
    long(4000, "m"),
  ),
  "modals.declareEmpty": declareModal(),
  "modals.na": naModal(long(4000, "l"), "meta"),
  "modals.owner": ownerModal(long(4000, "l"), "meta"),
  "review.impactModal": reviewImpactModal(42, { usersAffected: 3, revenue: 1200.5, predictionsAffected: 9000, dataLoss: true }),
  "review.impactModalEmpty": reviewImpactModal(42),
  "stakeholder.productModal": productUpdateModal(123456789, long(5000, "d")),
};

describe("blocks/ against the fake Slack's checks", () => {
  it.each(Object.entries(messages))("message %s passes checkMessage", (_name, m) => {
    expect(checkMessage(m)).toEqual([]);
    expect(m.blocks.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(blockLists))("blocks %s pass checkMessage", (_name, blocks) => {
    expect(checkMessage({ text: "fallback", blocks })).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(50);
  });

  it("the pinned header, with every part it can have, stays within its block budget", () => {
    const full = blockLists["incident.headerFull"]!;
    expect(full.length).toBeLessThanOrEqual(HEADER_BLOCK_BUDGET);
    const links = full.find((b) => b.block_id === "header_links") as any;
    expect(links.elements).toHaveLength(6); // the six links (the web view once, from the links)
    expect(links.elements.every((e: any) => e.url && e.action_id.startsWith("header_link:"))).toBe(true);
    expect(full.some((b) => b.block_id === "next_step")).toBe(true);
  });

  it.each(Object.entries(views))("view %s passes checkView", (_name, view) => {
    expect(checkView(view)).toEqual([]);
  });

  it("the fake refuses what the types refuse: an unknown block type, an unknown element type, mrkdwn in a header", () => {
    expect(checkMessage({ blocks: [{ type: "sektion", text: { type: "mrkdwn", text: "x" } }] }).join()).toMatch(/unknown block type/);
    expect(checkMessage({ blocks: [{ type: "actions", elements: [{ type: "buton", action_id: "a" }] }] }).join()).toMatch(
      /unknown element type/,
    );
    expect(checkMessage({ blocks: [{ type: "header", text: { type: "mrkdwn", text: "x" } }] }).join()).toMatch(/plain_text/);
    // Lengths are not in the types: the builders cut them, and the fake still catches anything longer.
    expect(checkMessage({ blocks: [{ type: "section", text: { type: "mrkdwn", text: long(3001) } }] }).join()).toMatch(/less than 3001/);
    expect(section(long(5000)).text!.text.length).toBe(3000);
  });
});

describe("tsc rejects malformed blocks (type-level: these lines must fail to compile)", () => {
  it("compiles only well-formed blocks", () => {
    const ok: KnownBlock[] = [section("fine"), { type: "divider" }, { type: "actions", elements: [button("Go", "go", "1")] }];
    // @ts-expect-error a block type Slack does not have
    const badType: KnownBlock = { type: "sektion", text: { type: "mrkdwn", text: "x" } };
    // @ts-expect-error a section's text is a text object, not a string
    const badText: SectionBlock = { type: "section", text: "plain string" };
    // @ts-expect-error a header takes plain_text only
    const badHeader: HeaderBlock = { type: "header", text: { type: "mrkdwn", text: "x" } };
    // @ts-expect-error a button's label cannot be mrkdwn
    const badButton: KnownBlock = { type: "actions", elements: [{ type: "button", action_id: "a", text: { type: "mrkdwn", text: "x" } }] };
    // @ts-expect-error an input block cannot sit in an actions block
    const badElement: KnownBlock = { type: "actions", elements: [{ type: "plain_text_input", action_id: "a" }] };
    // @ts-expect-error a modal needs a title
    const badModal: ModalView = { type: "modal", blocks: [] };
    // @ts-expect-error section() takes Slack's section fields only (no typo'd keys)
    section("x", { acessory: button("Go", "go", "1") });
    expect([ok, badType, badText, badHeader, badButton, badElement, badModal].length).toBe(7);
  });
});
