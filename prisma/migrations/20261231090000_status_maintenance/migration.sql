-- Scheduled maintenance on the public status page: previewed drafts until published, ended early by completing or
-- cancelling, and the id of its scheduled incident on Atlassian Statuspage (kept so it is created once).
CREATE TABLE "StatusMaintenance" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "components" JSONB NOT NULL DEFAULT '[]',
    "scheduledFor" TIMESTAMP(3) NOT NULL,
    "scheduledUntil" TIMESTAMP(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "publishedAt" TIMESTAMP(3),
    "publishedBy" TEXT,
    "completedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "endedBy" TEXT,
    "remoteId" TEXT,
    "shortlink" TEXT,
    "sentState" TEXT,
    "failure" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "StatusMaintenance_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "StatusMaintenance_scheduledUntil_idx" ON "StatusMaintenance"("scheduledUntil");
