-- Workspace-wide Slack pacing reserves evenly spaced call slots (the next free slot per key) instead of polling
-- a token bucket: every replica's call gets its own instant, so none is lost to polling delays.
ALTER TABLE "SlackRateBucket" RENAME COLUMN "refilledAt" TO "nextSlotAt";
ALTER TABLE "SlackRateBucket" DROP COLUMN "tokens";
