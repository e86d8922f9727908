import type { PrismaClient } from "../db.js";
import { stableHash } from "./fingerprint.js";
import type { NormalizedAlert } from "./normalize.js";
import { isMetricNumber } from "./schemas/common.js";

/**
 * What storing one alert did. Decided by the database (unique (source, fingerprint) + ON CONFLICT and a
 * payloadHash-guarded UPDATE), so it holds under concurrency and across processes:
 * - fired: first sight of a firing alert, or a re-fire (resolved → firing, or a new startsAt)
 * - resolved: firing → resolved
 * - updated: something else changed (a new value): the row is updated, nothing visible happens
 * - repeat: the same payload again: only count and lastSeenAt move
 * - stored: a resolved alert never seen firing
 */
export type StoreOutcome = "fired" | "resolved" | "updated" | "repeat" | "stored";

export interface StoredAlert {
  id: number;
  outcome: StoreOutcome;
  incidentId: number | null;
  silenceId: number | null;
  status: string;
  severity: string;
  /** startsAt as stored (receipt time when the sender gave none): part of the alert's incident request key */
  startsAtMs: number;
}

/** Hash of what a sender says about an alert; a re-sent identical payload hashes the same. */
export function payloadHashOf(a: NormalizedAlert): string {
  // A frozen alert (shared by re-sent bodies, see intake-memo.ts) cannot change: hash it once.
  const known = hashes.get(a);
  if (known) return known;
  const hash = computePayloadHash(a);
  if (Object.isFrozen(a)) hashes.set(a, hash);
  return hash;
}

const hashes = new WeakMap<NormalizedAlert, string>();

function computePayloadHash(a: NormalizedAlert): string {
  const columns = alertColumns(a);
  return stableHash({ ...Object.fromEntries(HASHED_COLUMNS.map((c) => [c, columns[c]])), metric: a.metric });
}

/**
 * The metricValue column's value. The schemas and label parsing already keep metrics within ±(2^53 − 1); this
 * guards the statements anyway: Prisma refuses an integer-valued parameter beyond 2^53 (the whole request
 * would fail), so anything outside the range is stored as no value (the payload hash still tells changes).
 */
export function storableMetricValue(a: NormalizedAlert): number | null {
  return a.metric && isMetricNumber(a.metric.value) ? a.metric.value : null;
}

/**
 * The Alert columns an alert's payload sets, JSON columns as values: storeAlert binds them (PAYLOAD_COLUMNS
 * order) and store-batch.ts sends them as json_to_recordset rows, so both statements store the same values.
 */
export function alertColumns(a: NormalizedAlert) {
  return {
    source: a.source,
    fingerprint: a.fingerprint,
    groupKey: a.groupKey,
    status: a.status,
    severity: a.severity,
    title: a.title,
    description: a.description,
    labels: a.labels,
    annotations: a.annotations,
    links: a.links,
    service: a.service,
    model: a.model,
    feature: a.feature,
    metricName: a.metric?.name ?? null,
    metricValue: storableMetricValue(a),
    category: a.category,
    startsAt: a.startsAt?.toISOString() ?? null,
    endsAt: a.endsAt?.toISOString() ?? null,
    sourceName: a.sourceName,
  };
}

type AlertColumns = ReturnType<typeof alertColumns>;

/** The payload columns in bind order: $1…$18 of VALUES and the UPDATE below are these, then hash ($19), now ($20) and the unhashed sourceName ($21). */
const PAYLOAD_COLUMNS = [
  "source",
  "fingerprint",
  "groupKey",
  "status",
  "severity",
  "title",
  "description",
  "labels",
  "annotations",
  "links",
  "service",
  "model",
  "feature",
  "metricName",
  "metricValue",
  "category",
  "startsAt",
  "endsAt",
] as const satisfies readonly (keyof AlertColumns)[];

/**
 * The payload columns the hash covers: all but the alert's key and what is derived from its labels (the metric
 * is hashed as the sender gave it). A different set re-hashes, and so "changes", every stored alert.
 */
const KEY_COLUMNS = ["source", "fingerprint"] as const;
const FROM_LABELS = ["service", "model", "feature", "metricName", "metricValue", "category"] as const;
const UNHASHED: ReadonlySet<keyof AlertColumns> = new Set([...KEY_COLUMNS, ...FROM_LABELS]);
const HASHED_COLUMNS = PAYLOAD_COLUMNS.filter((c) => !UNHASHED.has(c));

const JSON_COLUMNS: ReadonlySet<keyof AlertColumns> = new Set(["labels", "annotations", "links"]);

const COLUMNS = `${PAYLOAD_COLUMNS.map((c) => `"${c}"`).join(",")},"payloadHash","count","firstSeenAt","lastSeenAt","sourceName"`;

function params(a: NormalizedAlert, hash: string, now: Date): unknown[] {
  const values = alertColumns(a);
  return [
    ...PAYLOAD_COLUMNS.map((c) => (JSON_COLUMNS.has(c) ? JSON.stringify(values[c]) : values[c])),
    hash,
    now.toISOString(),
    values.sourceName,
  ];
}

// Timestamps travel as ISO strings cast to timestamp: the columns hold UTC without a zone.
const VALUES = `$1::text,$2::text,$3::text,$4::text,$5::text,$6::text,$7::text,$8::jsonb,$9::jsonb,$10::jsonb,
  $11::text,$12::text,$13::text,$14::text,$15::float8,$16::text,COALESCE($17::timestamp(3),$20::timestamp(3)),$18::timestamp(3),$19::text,1,
  $20::timestamp(3),$20::timestamp(3),$21::text`;

const RETURNING = `"id", "incidentId", "silenceId", "status", "severity",
  (EXTRACT(EPOCH FROM "startsAt") * 1000)::float8 AS "startsAtMs"`;

/** A row as the store statements return it (store-batch.ts adds source and fingerprint to match rows up). */
export type StoredRow = {
  source?: string;
  fingerprint?: string;
  id: number;
  incidentId: number | null;
  silenceId: number | null;
  status: string;
  severity: string;
  startsAtMs: number;
  inserted?: boolean;
  prevStatus?: string;
  prevStartsAtMs?: number;
};

/** Inserts or updates the alert's row; see StoreOutcome. */
export async function storeAlert(prisma: PrismaClient, a: NormalizedAlert, now: Date): Promise<StoredAlert> {
  const hash = payloadHashOf(a);
  const p = params(a, hash, now);
  // Insert, or bump count when the stored payload is the same one; a changed payload returns no row here.
  const [row] = await prisma.$queryRawUnsafe<StoredRow[]>(
    `INSERT INTO "Alert" (${COLUMNS}) VALUES (${VALUES})
     ON CONFLICT ("source","fingerprint") DO UPDATE
       SET "count" = "Alert"."count" + 1, "lastSeenAt" = GREATEST("Alert"."lastSeenAt", EXCLUDED."lastSeenAt")
       WHERE "Alert"."payloadHash" = EXCLUDED."payloadHash"
     RETURNING ${RETURNING}, (xmax = 0) AS "inserted"`,
    ...p,
  );
  if (row) {
    const outcome: StoreOutcome = row.inserted ? (a.status === "firing" ? "fired" : "stored") : "repeat";
    return storedFromRow(row, outcome);
  }
  // Changed payload. The row lock serialises two senders of the same change: the second sees the new hash
  // and updates nothing, so exactly one of them acts on the change.
  const [changed] = await prisma.$queryRawUnsafe<StoredRow[]>(
    `UPDATE "Alert" a SET
       "groupKey" = $3::text, "status" = $4::text, "severity" = $5::text, "title" = $6::text, "description" = $7::text,
       "labels" = $8::jsonb, "annotations" = $9::jsonb, "links" = $10::jsonb, "service" = $11::text, "model" = $12::text,
       "feature" = $13::text, "metricName" = $14::text, "metricValue" = $15::float8, "category" = $16::text,
       "startsAt" = COALESCE($17::timestamp(3),
         CASE WHEN o."status" = 'resolved' AND $4::text = 'firing' THEN $20::timestamp(3) ELSE o."startsAt" END),
       "endsAt" = $18::timestamp(3), "payloadHash" = $19::text, "count" = a."count" + 1, "sourceName" = $21::text,
       "lastSeenAt" = GREATEST(a."lastSeenAt", $20::timestamp(3))
     FROM (SELECT "id", "status", "startsAt" FROM "Alert" WHERE "source" = $1::text AND "fingerprint" = $2::text FOR UPDATE) o
     WHERE a."id" = o."id" AND a."payloadHash" <> $19::text
     RETURNING ${RETURNING.replace(/"(id|incidentId|silenceId|status|severity|startsAt)"/g, 'a."$1"')},
       o."status" AS "prevStatus", (EXTRACT(EPOCH FROM o."startsAt") * 1000)::float8 AS "prevStartsAtMs"`,
    ...p,
  );
  if (!changed) {
    const [again] = await prisma.$queryRawUnsafe<StoredRow[]>(
      `UPDATE "Alert" SET "count" = "count" + 1, "lastSeenAt" = GREATEST("lastSeenAt", $3::timestamp(3))
       WHERE "source" = $1::text AND "fingerprint" = $2::text RETURNING ${RETURNING}`,
      a.source,
      a.fingerprint,
      now.toISOString(),
    );
    return storedFromRow(again!, "repeat");
  }
  let outcome: StoreOutcome = "updated";
  if (changed.prevStatus === "firing" && a.status === "resolved") outcome = "resolved";
  else if (a.status === "firing" && (changed.prevStatus === "resolved" || changed.prevStartsAtMs !== changed.startsAtMs)) {
    outcome = "fired";
  }
  if (outcome === "fired") {
    // A re-fire is a new episode: it may be triaged and silenced afresh and opens a new incident if none holds it.
    changed.incidentId = await openIncidentHolding(prisma, changed.incidentId);
    changed.silenceId = null;
    await prisma.alert.update({
      where: { id: changed.id },
      data: { incidentId: changed.incidentId, silenceId: null, triageTs: null, triageChannel: null, declinedAt: null },
    });
  }
  return storedFromRow(changed, outcome);
}

/** A re-fired alert stays with its incident while that incident is still open. */
async function openIncidentHolding(prisma: PrismaClient, incidentId: number | null): Promise<number | null> {
  if (!incidentId) return null;
  const inc = await prisma.incident.findUnique({ where: { id: incidentId }, select: { status: true } });
  return inc && inc.status !== "resolved" ? incidentId : null;
}

/** PagerDuty `resolve` of a known dedup_key: the stored trigger keeps its text, only the status moves. */
export async function resolveStoredAlert(
  prisma: PrismaClient,
  source: string,
  fingerprint: string,
  now: Date,
): Promise<StoredAlert | null> {
  const [row] = await prisma.$queryRawUnsafe<StoredRow[]>(
    `UPDATE "Alert" SET "status" = 'resolved', "endsAt" = $3::timestamp(3), "lastSeenAt" = $3::timestamp(3),
       "count" = "count" + 1, "payloadHash" = "payloadHash" || ':resolved'
     WHERE "source" = $1::text AND "fingerprint" = $2::text AND "status" = 'firing' RETURNING ${RETURNING}`,
    source,
    fingerprint,
    now.toISOString(),
  );
  return row ? storedFromRow(row, "resolved") : null;
}

export function storedFromRow(row: StoredRow, outcome: StoreOutcome): StoredAlert {
  return {
    id: Number(row.id),
    outcome,
    incidentId: row.incidentId === null ? null : Number(row.incidentId),
    silenceId: row.silenceId === null ? null : Number(row.silenceId),
    status: row.status,
    severity: row.severity,
    startsAtMs: Number(row.startsAtMs),
  };
}
