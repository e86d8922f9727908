-- A same-titled incident takes the suffix past the highest one the database has reserved for its base
-- name, instead of trying -2, -3, … against Slack one call at a time. The unique index makes a reservation
-- race between processes fail (and retry) rather than hand out one name twice.
ALTER TABLE "Incident" ADD COLUMN "channelBase" TEXT,
ADD COLUMN "channelSuffix" INTEGER;

-- CreateIndex
CREATE UNIQUE INDEX "Incident_channelBase_channelSuffix_key" ON "Incident"("channelBase", "channelSuffix");

-- Channels made before this migration: the suffix they were created with is in provisionState.nameSuffix.
-- Only names that end in that suffix are taken over (one row per name), so the index cannot be violated.
UPDATE "Incident" AS i SET "channelBase" = b.base, "channelSuffix" = b.suffix
FROM (
  SELECT DISTINCT ON (base, suffix) id, base, suffix
  FROM (
    SELECT id, suffix,
      CASE WHEN suffix > 1 THEN left("channelName", length("channelName") - length('-' || suffix)) ELSE "channelName" END AS base,
      (suffix = 1 OR right("channelName", length('-' || suffix)) = '-' || suffix) AS fits
    FROM (
      SELECT id, "channelName",
        CASE WHEN "provisionState"->>'nameSuffix' ~ '^[0-9]{1,9}$' THEN ("provisionState"->>'nameSuffix')::int END AS suffix
      FROM "Incident"
      WHERE "channelName" IS NOT NULL
    ) AS raw
    WHERE suffix IS NOT NULL
  ) AS s
  WHERE fits
  ORDER BY base, suffix, id
) AS b
WHERE i.id = b.id;
