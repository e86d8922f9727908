-- A repeat of an alert only moves "count" and "lastSeenAt". Without an index on "lastSeenAt" that update
-- touches no indexed column, so PostgreSQL can do it as a HOT update (no new index entries), and the spare
-- room of fillfactor 80 keeps the new row version on the same page. `/incident alerts` sorts the unattached
-- alerts instead (a top-25 sort).
DROP INDEX "Alert_lastSeenAt_idx";

ALTER TABLE "Alert" SET (fillfactor = 80);
