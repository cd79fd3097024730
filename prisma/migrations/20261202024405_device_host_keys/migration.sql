-- AlterTable
ALTER TABLE "Device" ADD COLUMN     "hostKey" TEXT,
ADD COLUMN     "hostKeyAlgorithm" TEXT,
ADD COLUMN     "hostKeyFingerprint" TEXT,
ADD COLUMN     "hostKeyPinnedAt" TIMESTAMP(3),
ADD COLUMN     "hostKeySource" TEXT,
ADD COLUMN     "legacySsh" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "offeredHostKey" TEXT,
ADD COLUMN     "offeredHostKeyAlgorithm" TEXT,
ADD COLUMN     "offeredHostKeyAt" TIMESTAMP(3),
ADD COLUMN     "offeredHostKeyFingerprint" TEXT;

