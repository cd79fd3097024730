-- AlterEnum
ALTER TYPE "RunStatus" ADD VALUE 'REFUSED';

-- AlterTable
ALTER TABLE "DeviceRun" ADD COLUMN     "abortRequestedAt" TIMESTAMP(3),
ADD COLUMN     "acceptRequestedAt" TIMESTAMP(3),
ADD COLUMN     "context" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "heartbeatAt" TIMESTAMP(3),
ADD COLUMN     "options" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "workerId" TEXT;

