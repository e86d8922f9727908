import type { FakeSlack } from "../../tools/fake-slack/server.js";
import { eventually, type Harness } from "./harness.js";

/** A message a person wrote in a channel (the fake only records what the bot posts). */
export function userMessage(fake: FakeSlack, channelId: string, user: string, text: string) {
  const ts = fake.workspace.nextTs();
  const msg = { type: "message" as const, ts, channel: channelId, user, text };
  const list = fake.workspace.messages.get(channelId) ?? [];
  list.push(msg);
  fake.workspace.messages.set(channelId, list);
  return msg;
}

/** Runs a slash command and waits for its reply (the work is done when the reply arrives). */
export async function runCommand(h: Harness, text: string, userId: string, channelId: string) {
  const res = await h.slack.command("/incident", text, { userId, channelId });
  const id = decodeURIComponent(res.responseUrl!.split("/").pop()!);
  const reply = await eventually(
    () => h.fake.ephemerals.find((e) => e.via === "response_url" && e.id === id),
    15_000,
    `reply to /incident ${text}`,
  );
  return reply.via === "response_url" ? String(reply.body.text ?? "") : "";
}

/** Waits until the incident's Slack side (channel, pinned header and playbook) is ready. */
export async function provisioned(h: Harness, incidentId: number) {
  return eventually(
    () => h.db.prisma.incident.findFirst({ where: { id: incidentId, provisionedAt: { not: null } } }),
    15_000,
    `INC-${incidentId} provisioned`,
  );
}

/** Waits until no job of the app's queues is waiting or running (so absence of effects can be asserted). */
export async function jobsIdle(h: Harness, queues: string[]) {
  const schema = h.db.schema ? `pgboss_${h.db.schema}` : "pgboss";
  await eventually(
    async () => {
      const rows = await h.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM "${schema}".job WHERE name = ANY($1) AND state IN ('created','retry','active') AND start_after <= now()`,
        queues,
      );
      return Number(rows[0]!.n) === 0;
    },
    15_000,
    "jobs idle",
  );
}
