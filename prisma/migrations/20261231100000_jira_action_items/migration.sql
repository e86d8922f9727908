-- Jira (issue 16): an action item becomes one Jira issue. The key is recorded once created; the state, lease and
-- create stamp make the create happen once across retries, restarts and replicas (looked up by label first).
ALTER TABLE "ActionItem" ADD COLUMN "jiraKey" TEXT;
ALTER TABLE "ActionItem" ADD COLUMN "jiraUrl" TEXT;
ALTER TABLE "ActionItem" ADD COLUMN "jiraState" TEXT;
ALTER TABLE "ActionItem" ADD COLUMN "jiraAssignee" TEXT;
ALTER TABLE "ActionItem" ADD COLUMN "jiraNote" TEXT;
ALTER TABLE "ActionItem" ADD COLUMN "jiraError" TEXT;
ALTER TABLE "ActionItem" ADD COLUMN "jiraAttempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "ActionItem" ADD COLUMN "jiraLeaseOwner" TEXT;
ALTER TABLE "ActionItem" ADD COLUMN "jiraLeaseUntil" TIMESTAMP(3);
ALTER TABLE "ActionItem" ADD COLUMN "jiraCreateAt" TIMESTAMP(3);
ALTER TABLE "ActionItem" ADD COLUMN "jiraNoticedAt" TIMESTAMP(3);
CREATE UNIQUE INDEX "ActionItem_jiraKey_key" ON "ActionItem"("jiraKey");
CREATE INDEX "ActionItem_jiraState_idx" ON "ActionItem"("jiraState");
