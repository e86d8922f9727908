import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALERT_TOKEN, postAlert } from "../helpers/alerts.js";
import { eventually, type Harness, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

const ROUTES = `
routes:
  - name: lead scoring
    match: { model: lead-scoring }
    responders: [UMLLEAD, UMLOPS]
    triage_channel: CMLTRIAGE
  - match_re: { service: "batch-.*" }
    severity: P3
`;

describe.each(kinds)("alert routing file (%s)", (kind) => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "routes-"));
    writeFileSync(path.join(dir, "routes.yaml"), ROUTES);
    h = await startHarness(kind, {
      env: {
        ALERT_WEBHOOK_TOKEN: ALERT_TOKEN,
        ALERTS_CHANNEL_ID: "CDEFAULTTRIAGE",
        INCIDENT_RESPONDERS: "UONCALL",
        ALERT_ROUTES_FILE: path.join(dir, "routes.yaml"),
      },
    });
    for (const id of ["CMLTRIAGE", "CDEFAULTTRIAGE"]) h.fake.ensureChannel({ id, name: id.toLowerCase(), members: ["UBOT"] });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a matching route's responders are invited next to INCIDENT_RESPONDERS", async () => {
    const res = await postAlert(h.appUrl, "generic", {
      source: "drift",
      title: "PSI 0.4 on lead_source",
      model: "lead-scoring",
      metric: { name: "psi", value: 0.4 },
    });
    expect(res.status).toBe(202);
    const id = Number(res.json.incidents[0].slice(4));
    const inc = await eventually(() => h.db.prisma.incident.findFirst({ where: { id, provisionedAt: { not: null } } }), 15_000);
    expect(h.fake.channel(inc.channelId!)?.members).toEqual(expect.arrayContaining(["UONCALL", "UMLLEAD", "UMLOPS"]));
  });

  it("a route's triage channel receives its warnings; other warnings go to ALERTS_CHANNEL_ID", async () => {
    await postAlert(h.appUrl, "generic", {
      source: "dq",
      title: "Null rate up on company_size",
      model: "lead-scoring",
      severity: "warning",
    });
    await postAlert(h.appUrl, "generic", { source: "dq", title: "Null rate up on region", model: "churn", severity: "warning" });
    await eventually(() => h.fake.messages("CMLTRIAGE").some((m) => /company_size/.test(m.text)), 10_000, "routed triage");
    await eventually(() => h.fake.messages("CDEFAULTTRIAGE").some((m) => /region/.test(m.text)), 10_000, "default triage");
    expect(h.fake.messages("CMLTRIAGE").some((m) => /region/.test(m.text))).toBe(false);
  });

  it("a route's severity override keeps batch jobs from opening incidents", async () => {
    const res = await postAlert(h.appUrl, "generic", {
      source: "cron",
      title: "Batch scoring failed",
      service: "batch-scoring",
      severity: "critical",
    });
    expect(res.status).toBe(202);
    expect(res.json.incidents).toEqual([]);
    const alert = await h.db.prisma.alert.findFirstOrThrow({ where: { title: "Batch scoring failed" } });
    expect(alert.severity).toBe("P3");
  });
});
