-- AlterTable
ALTER TABLE "Device" ADD COLUMN     "legacySsh" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "offeredHostKey" TEXT,
ADD COLUMN     "offeredHostKeyAlgorithm" TEXT,
ADD COLUMN     "offeredHostKeyAt" TIMESTAMP(3),
ADD COLUMN     "offeredHostKeyFingerprint" TEXT;

-- CreateTable
CREATE TABLE "DeviceHostKey" (
    "id" UUID NOT NULL,
    "deviceId" UUID NOT NULL,
    "algorithm" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "pinnedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeviceHostKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeviceHostKey_deviceId_idx" ON "DeviceHostKey"("deviceId");

-- CreateIndex
CREATE UNIQUE INDEX "DeviceHostKey_deviceId_key_key" ON "DeviceHostKey"("deviceId", "key");

-- AddForeignKey
ALTER TABLE "DeviceHostKey" ADD CONSTRAINT "DeviceHostKey_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE CASCADE ON UPDATE CASCADE;

