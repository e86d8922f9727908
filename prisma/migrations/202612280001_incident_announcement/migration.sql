-- The announcement of an incident in INCIDENTS_CHANNEL_ID, edited in place.
ALTER TABLE "Incident" ADD COLUMN "announcementTs" TEXT;
ALTER TABLE "Incident" ADD COLUMN "announcementHash" TEXT;
