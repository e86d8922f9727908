-- Links of an incident kept as channel bookmarks, each added once (issue 12).
CREATE TABLE "IncidentLink" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "bookmarkId" TEXT,
    "attemptedAt" TIMESTAMP(3),
    "failedCode" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IncidentLink_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "IncidentLink_incidentId_kind_key" ON "IncidentLink"("incidentId", "kind");

ALTER TABLE "IncidentLink" ADD CONSTRAINT "IncidentLink_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;
