-- Email beyond the channel (issue 16): one row per email the bot owes (leadership summary, product update).
-- The row is written in the transaction that makes the email due; the job sends it and marks it sent, so a
-- retry or a restart never sends it twice once sentAt is set, and a failing send is told in the channel once.
CREATE TABLE "MailDelivery" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "recipients" JSONB NOT NULL,
    "body" TEXT,
    "nextUpdateAt" TIMESTAMP(3),
    "actorId" TEXT,
    "subject" TEXT,
    "messageId" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "failureNoticedAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MailDelivery_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "MailDelivery_incidentId_idx" ON "MailDelivery"("incidentId");
