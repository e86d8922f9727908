-- CreateTable
CREATE TABLE "Incident" (
    "id" SERIAL NOT NULL,
    "requestKey" TEXT,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT,
    "severity" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'investigating',
    "category" TEXT,
    "service" TEXT,
    "escalation" TEXT NOT NULL DEFAULT 'green',
    "isPrivate" BOOLEAN NOT NULL DEFAULT false,
    "userFacing" BOOLEAN NOT NULL DEFAULT false,
    "declaredBy" TEXT NOT NULL,
    "leadId" TEXT,
    "commsId" TEXT,
    "channelId" TEXT,
    "channelName" TEXT,
    "headerTs" TEXT,
    "playbookTs" TEXT,
    "provisionState" JSONB NOT NULL DEFAULT '{}',
    "provisionedAt" TIMESTAMP(3),
    "provisionLease" TIMESTAMP(3),
    "detectedAt" TIMESTAMP(3) NOT NULL,
    "declaredAt" TIMESTAMP(3) NOT NULL,
    "acknowledgedAt" TIMESTAMP(3),
    "acknowledgedBy" TEXT,
    "identifiedAt" TIMESTAMP(3),
    "mitigatedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "resolutionSummary" TEXT,
    "rootCause" TEXT,
    "statusPageText" TEXT,
    "leadershipSentAt" TIMESTAMP(3),
    "archivedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChecklistItem" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "list" TEXT NOT NULL DEFAULT 'playbook',
    "number" TEXT NOT NULL,
    "stepKey" TEXT NOT NULL,
    "stepTitle" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "detail" JSONB,
    "ownerId" TEXT,
    "state" TEXT NOT NULL DEFAULT 'todo',
    "justification" TEXT,
    "completedBy" TEXT,
    "completedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChecklistItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TimelineEvent" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "actorId" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "text" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "sourceKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TimelineEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActionItem" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "dueDate" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "lastChasedOn" TEXT,

    CONSTRAINT "ActionItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Clock" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "targetSeconds" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "metAt" TIMESTAMP(3),
    "stoppedAt" TIMESTAMP(3),
    "nudgedAt" TIMESTAMP(3),
    "escalatedAt" TIMESTAMP(3),
    "breached" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Clock_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Review" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "dueDate" TEXT NOT NULL,
    "markdown" TEXT NOT NULL,
    "impact" JSONB NOT NULL DEFAULT '{}',
    "wentWell" JSONB NOT NULL DEFAULT '[]',
    "wentPoorly" JSONB NOT NULL DEFAULT '[]',
    "fileId" TEXT,
    "messageTs" TEXT,
    "completedAt" TIMESTAMP(3),
    "completedBy" TEXT,
    "lastRemindedOn" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoleAssignment" (
    "role" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoleAssignment_pkey" PRIMARY KEY ("role")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "groupKey" TEXT,
    "status" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "links" JSONB NOT NULL DEFAULT '[]',
    "service" TEXT,
    "model" TEXT,
    "feature" TEXT,
    "metricName" TEXT,
    "metricValue" DOUBLE PRECISION,
    "category" TEXT,
    "startsAt" TIMESTAMP(3),
    "endsAt" TIMESTAMP(3),
    "payloadHash" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 1,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "incidentId" INTEGER,
    "silenceId" INTEGER,
    "triageChannel" TEXT,
    "triageTs" TEXT,
    "declinedAt" TIMESTAMP(3),

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentAlertKey" (
    "key" TEXT NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IncidentAlertKey_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Silence" (
    "id" SERIAL NOT NULL,
    "matchers" JSONB NOT NULL,
    "matcherText" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "liftedAt" TIMESTAMP(3),
    "liftedBy" TEXT,
    "hits" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Silence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Gate" (
    "id" SERIAL NOT NULL,
    "requestKey" TEXT,
    "templateId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "channelId" TEXT NOT NULL,
    "messageTs" TEXT,
    "openedBy" TEXT NOT NULL,
    "overrideReason" TEXT,
    "approvedBy" TEXT,
    "approvedAt" TIMESTAMP(3),
    "lastChasedOn" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Gate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GateItem" (
    "id" SERIAL NOT NULL,
    "gateId" INTEGER NOT NULL,
    "number" TEXT NOT NULL,
    "sectionTitle" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "detail" JSONB,
    "criterion" JSONB,
    "measuredValue" DOUBLE PRECISION,
    "measuredText" TEXT,
    "measuredPassing" BOOLEAN,
    "ownerId" TEXT,
    "state" TEXT NOT NULL DEFAULT 'todo',
    "justification" TEXT,
    "completedBy" TEXT,
    "completedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GateItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GateEvent" (
    "id" SERIAL NOT NULL,
    "gateId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "actorId" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "GateEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Incident_requestKey_key" ON "Incident"("requestKey");

-- CreateIndex
CREATE INDEX "Incident_status_idx" ON "Incident"("status");

-- CreateIndex
CREATE INDEX "Incident_declaredAt_idx" ON "Incident"("declaredAt");

-- CreateIndex
CREATE INDEX "ChecklistItem_ownerId_state_idx" ON "ChecklistItem"("ownerId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "ChecklistItem_incidentId_list_number_key" ON "ChecklistItem"("incidentId", "list", "number");

-- CreateIndex
CREATE INDEX "TimelineEvent_incidentId_at_idx" ON "TimelineEvent"("incidentId", "at");

-- CreateIndex
CREATE INDEX "TimelineEvent_kind_idx" ON "TimelineEvent"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "TimelineEvent_incidentId_sourceKey_key" ON "TimelineEvent"("incidentId", "sourceKey");

-- CreateIndex
CREATE INDEX "ActionItem_status_dueDate_idx" ON "ActionItem"("status", "dueDate");

-- CreateIndex
CREATE INDEX "Clock_dueAt_idx" ON "Clock"("dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "Clock_incidentId_kind_key" ON "Clock"("incidentId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Review_incidentId_key" ON "Review"("incidentId");

-- CreateIndex
CREATE INDEX "Alert_incidentId_idx" ON "Alert"("incidentId");

-- CreateIndex
CREATE INDEX "Alert_lastSeenAt_idx" ON "Alert"("lastSeenAt");

-- CreateIndex
CREATE UNIQUE INDEX "Alert_source_fingerprint_key" ON "Alert"("source", "fingerprint");

-- CreateIndex
CREATE INDEX "IncidentAlertKey_incidentId_idx" ON "IncidentAlertKey"("incidentId");

-- CreateIndex
CREATE INDEX "Silence_endsAt_idx" ON "Silence"("endsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Gate_requestKey_key" ON "Gate"("requestKey");

-- CreateIndex
CREATE INDEX "Gate_subject_templateId_idx" ON "Gate"("subject", "templateId");

-- CreateIndex
CREATE INDEX "GateItem_ownerId_state_idx" ON "GateItem"("ownerId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "GateItem_gateId_number_key" ON "GateItem"("gateId", "number");

-- CreateIndex
CREATE INDEX "GateEvent_gateId_at_idx" ON "GateEvent"("gateId", "at");

-- AddForeignKey
ALTER TABLE "ChecklistItem" ADD CONSTRAINT "ChecklistItem_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimelineEvent" ADD CONSTRAINT "TimelineEvent_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Clock" ADD CONSTRAINT "Clock_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentAlertKey" ADD CONSTRAINT "IncidentAlertKey_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GateItem" ADD CONSTRAINT "GateItem_gateId_fkey" FOREIGN KEY ("gateId") REFERENCES "Gate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GateEvent" ADD CONSTRAINT "GateEvent_gateId_fkey" FOREIGN KEY ("gateId") REFERENCES "Gate"("id") ON DELETE CASCADE ON UPDATE CASCADE;
