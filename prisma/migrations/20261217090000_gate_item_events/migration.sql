-- Gate item events now have the same data shape as incident checklist item events, which name their list:
-- rows written before carry no list, so they get list "gate". Idempotent: rows that have one are left alone.
UPDATE "GateEvent" SET "data" = "data" || '{"list":"gate"}'::jsonb WHERE "kind" LIKE 'item.%' AND "data"->>'list' IS NULL;
