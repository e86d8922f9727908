-- CreateTable
CREATE TABLE "ChecklistMessage" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "list" TEXT NOT NULL,
    "ts" TEXT,
    "pinned" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChecklistMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ChecklistMessage_incidentId_list_key" ON "ChecklistMessage"("incidentId", "list");
