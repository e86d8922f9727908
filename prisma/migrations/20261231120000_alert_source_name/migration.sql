-- The sender's own name for an alert (a generic alert's `source`, e.g. drift-monitor), shown in Slack and the
-- review instead of the route's name ("generic"). Not hashed: storing it does not make old alerts "change".
ALTER TABLE "Alert" ADD COLUMN "sourceName" TEXT;
