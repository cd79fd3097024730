-- Campaigns take their final shape. No campaign could be created before this migration (no route
-- wrote the table), so the new NOT NULL columns need no backfill.
-- CreateEnum
CREATE TYPE "CampaignDeviceState" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'REFUSED', 'ABORTED', 'SKIPPED', 'EXCLUDED');

-- CreateEnum
CREATE TYPE "ApprovalKind" AS ENUM ('PLAN', 'GATE');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "CampaignStatus" ADD VALUE 'SCHEDULED' BEFORE 'RUNNING';
ALTER TYPE "CampaignStatus" ADD VALUE 'EXPIRED';

-- DropForeignKey
ALTER TABLE "Campaign" DROP CONSTRAINT "Campaign_targetImageId_fkey";

-- AlterTable
ALTER TABLE "Campaign" DROP COLUMN "failureBudget",
DROP COLUMN "targetImageId",
ADD COLUMN     "approvedAt" TIMESTAMP(3),
ADD COLUMN     "approvedPlanHash" TEXT,
ADD COLUMN     "authorIds" UUID[],
ADD COLUMN     "blackoutDates" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "currentWave" INTEGER,
ADD COLUMN     "failureBudgetCount" INTEGER,
ADD COLUMN     "failureBudgetPercent" INTEGER,
ADD COLUMN     "followUpOfId" UUID,
ADD COLUMN     "gateEveryWave" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "gateWave" INTEGER,
ADD COLUMN     "nextWaveAt" TIMESTAMP(3),
ADD COLUMN     "openedGates" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "pauseBetweenWavesSeconds" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "plan" JSONB,
ADD COLUMN     "previewRequestedAt" TIMESTAMP(3),
ADD COLUMN     "rollbackTimerSeconds" INTEGER,
ADD COLUMN     "selection" JSONB NOT NULL,
ADD COLUMN     "statusReason" TEXT,
ADD COLUMN     "submittedAt" TIMESTAMP(3),
ADD COLUMN     "ticket" TEXT NOT NULL,
ALTER COLUMN "windowStart" SET NOT NULL,
ALTER COLUMN "windowEnd" SET NOT NULL,
ALTER COLUMN "timeZone" DROP DEFAULT,
ALTER COLUMN "canarySize" SET DEFAULT 1;

-- AlterTable
ALTER TABLE "CampaignDevice" ADD COLUMN     "endedAt" TIMESTAMP(3),
ADD COLUMN     "evidence" JSONB,
ADD COLUMN     "imageId" UUID,
ADD COLUMN     "impact" TEXT,
ADD COLUMN     "impactReason" TEXT,
ADD COLUMN     "position" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "predictedAt" TIMESTAMP(3),
ADD COLUMN     "runId" UUID,
ADD COLUMN     "startedAt" TIMESTAMP(3),
ADD COLUMN     "state" "CampaignDeviceState" NOT NULL DEFAULT 'PENDING';

-- AlterTable
ALTER TABLE "Approval" ADD COLUMN     "kind" "ApprovalKind" NOT NULL DEFAULT 'PLAN',
ADD COLUMN     "wave" INTEGER;

-- CreateTable
CREATE TABLE "CampaignTarget" (
    "campaignId" UUID NOT NULL,
    "imageId" UUID NOT NULL,

    CONSTRAINT "CampaignTarget_pkey" PRIMARY KEY ("campaignId","imageId")
);

-- CreateIndex
CREATE INDEX "Campaign_status_idx" ON "Campaign"("status");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignDevice_runId_key" ON "CampaignDevice"("runId");

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_followUpOfId_fkey" FOREIGN KEY ("followUpOfId") REFERENCES "Campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignTarget" ADD CONSTRAINT "CampaignTarget_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignTarget" ADD CONSTRAINT "CampaignTarget_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "SoftwareImage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignDevice" ADD CONSTRAINT "CampaignDevice_runId_fkey" FOREIGN KEY ("runId") REFERENCES "DeviceRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

