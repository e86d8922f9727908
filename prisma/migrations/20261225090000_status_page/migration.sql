-- Public status page: the incident's public name and pending public status / component impact (shown only once a
-- person publishes), drafts previewed before publishing, and the Atlassian Statuspage mirror of each incident.
ALTER TABLE "Incident" ADD COLUMN "publicName" TEXT,
ADD COLUMN "publicStatus" TEXT,
ADD COLUMN "publicComponents" JSONB;

CREATE TABLE "StatusDraft" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMP(3),
    "publishedBy" TEXT,
    CONSTRAINT "StatusDraft_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "StatusDraft_incidentId_idx" ON "StatusDraft"("incidentId");
ALTER TABLE "StatusDraft" ADD CONSTRAINT "StatusDraft_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "StatuspageMirror" (
    "incidentId" INTEGER NOT NULL,
    "remoteId" TEXT,
    "shortlink" TEXT,
    "sentEventId" INTEGER,
    "components" JSONB NOT NULL DEFAULT '{}',
    "failure" TEXT,
    "failureNotedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "StatuspageMirror_pkey" PRIMARY KEY ("incidentId")
);
ALTER TABLE "StatuspageMirror" ADD CONSTRAINT "StatuspageMirror_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;
