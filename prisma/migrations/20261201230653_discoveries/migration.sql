-- CreateEnum
CREATE TYPE "DiscoveryStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "Discovery" (
    "id" UUID NOT NULL,
    "deviceId" UUID NOT NULL,
    "status" "DiscoveryStatus" NOT NULL DEFAULT 'QUEUED',
    "facts" JSONB,
    "error" TEXT,
    "requestedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "Discovery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Discovery_deviceId_createdAt_idx" ON "Discovery"("deviceId", "createdAt");

-- AddForeignKey
ALTER TABLE "Discovery" ADD CONSTRAINT "Discovery_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Discovery" ADD CONSTRAINT "Discovery_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

