-- AlterTable
ALTER TABLE "Alert" ADD COLUMN "digestedAt" TIMESTAMP(3);
