-- CreateEnum
CREATE TYPE "SyslogTransport" AS ENUM ('UDP', 'TCP');

-- AlterTable
ALTER TABLE "SyslogMessage" ADD COLUMN     "clock" TEXT,
ADD COLUMN     "event" TEXT,
ADD COLUMN     "format" TEXT,
ADD COLUMN     "parseError" TEXT,
ADD COLUMN     "procId" TEXT,
ADD COLUMN     "runId" UUID,
ADD COLUMN     "sequence" INTEGER,
ADD COLUMN     "structuredData" JSONB,
ADD COLUMN     "transport" "SyslogTransport" NOT NULL DEFAULT 'UDP',
ALTER COLUMN "facility" DROP NOT NULL,
ALTER COLUMN "severity" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "SyslogMessage_runId_receivedAt_idx" ON "SyslogMessage"("runId", "receivedAt");

-- CreateIndex
CREATE INDEX "SyslogMessage_severity_receivedAt_idx" ON "SyslogMessage"("severity", "receivedAt");

-- AddForeignKey
ALTER TABLE "SyslogMessage" ADD CONSTRAINT "SyslogMessage_runId_fkey" FOREIGN KEY ("runId") REFERENCES "DeviceRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

