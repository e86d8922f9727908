-- Several replicas on one PostgreSQL (issue 13).
-- The process holding an incident's provisioning lease: saves and releases are conditional on it, so a
-- worker whose lease was taken over can never undo or repeat the new holder's steps.
ALTER TABLE "Incident" ADD COLUMN "provisionOwner" TEXT;

-- Workspace-wide Slack pacing: one token bucket per method (or per channel for chat.postMessage), shared
-- by every replica; pausedUntil holds a 429's Retry-After so every replica waits it out.
CREATE TABLE "SlackRateBucket" (
    "key" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "refilledAt" TIMESTAMP(3) NOT NULL,
    "pausedUntil" TIMESTAMP(3),
    CONSTRAINT "SlackRateBucket_pkey" PRIMARY KEY ("key")
);

-- Socket Mode with several connections: each delivery (event id, or the trigger id of a command or an
-- interaction) is handled by the first replica that records it.
CREATE TABLE "SlackDelivery" (
    "id" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SlackDelivery_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "SlackDelivery_receivedAt_idx" ON "SlackDelivery"("receivedAt");
