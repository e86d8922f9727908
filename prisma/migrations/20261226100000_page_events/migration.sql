-- Paging (issue 16): one row per PagerDuty Events API v2 event the bot owes (trigger, acknowledge, resolve).
-- Written with the change that makes it due; the job sends it once (requestKey is unique, sentAt guards a retry).
CREATE TABLE "PageEvent" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "requestKey" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "dedupKey" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "message" TEXT,
    "actorId" TEXT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "failureNoticedAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PageEvent_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "PageEvent_requestKey_key" ON "PageEvent"("requestKey");
CREATE INDEX "PageEvent_incidentId_idx" ON "PageEvent"("incidentId");
CREATE INDEX "PageEvent_dedupKey_idx" ON "PageEvent"("dedupKey");
