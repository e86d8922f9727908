-- Model-aware incidents: the model an incident is about, rollbacks on the MLflow registry, alias moves the bot
-- saw, and webhook deliveries already handled.
ALTER TABLE "Incident" ADD COLUMN "modelName" TEXT,
ADD COLUMN "modelAlias" TEXT,
ADD COLUMN "modelVersion" TEXT,
ADD COLUMN "modelEvidence" JSONB;

CREATE TABLE "Rollback" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "model" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "fromVersion" TEXT NOT NULL,
    "toVersion" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'proposed',
    "requestedBy" TEXT NOT NULL,
    "confirmedBy" TEXT,
    "error" TEXT,
    "movedAt" TIMESTAMP(3),
    "verifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Rollback_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Rollback_incidentId_idx" ON "Rollback"("incidentId");
ALTER TABLE "Rollback" ADD CONSTRAINT "Rollback_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "ModelAliasMove" (
    "id" SERIAL NOT NULL,
    "model" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "fromVersion" TEXT,
    "toVersion" TEXT,
    "source" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "ModelAliasMove_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ModelAliasMove_model_alias_at_idx" ON "ModelAliasMove"("model", "alias", "at");

CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);
