-- Columns nothing reads: Incident.slug was always empty (the channel name is stored instead), and the
-- version counters of Incident and Gate were written on every change but never compared.
ALTER TABLE "Incident" DROP COLUMN "slug",
DROP COLUMN "version";
ALTER TABLE "Gate" DROP COLUMN "version";
