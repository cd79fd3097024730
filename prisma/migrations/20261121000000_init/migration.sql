-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('VIEWER', 'OPERATOR', 'APPROVER', 'ADMIN');

-- CreateEnum
CREATE TYPE "Vendor" AS ENUM ('CISCO_IOS', 'CISCO_IOSXE', 'JUNOS');

-- CreateEnum
CREATE TYPE "CompatLevel" AS ENUM ('C', 'B', 'I');

-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('DRAFT', 'PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'ABORTED');

-- CreateEnum
CREATE TYPE "AcceptMode" AS ENUM ('AUTO', 'MANUAL');

-- CreateEnum
CREATE TYPE "ApprovalDecision" AS ENUM ('APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('PENDING', 'QUEUED', 'RUNNING', 'WAITING_ACCEPT', 'COMPLETED', 'FAILED', 'ROLLED_BACK', 'ABORTED');

-- CreateEnum
CREATE TYPE "ProcedureKind" AS ENUM ('CISCO_ISSU', 'CISCO_FSU', 'JUNOS_ISSU');

-- CreateEnum
CREATE TYPE "StepStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT,
    "role" "Role" NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastLoginAt" TIMESTAMP(3),

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ip" TEXT,
    "userAgent" TEXT,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Credential" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "secretEnc" TEXT NOT NULL,
    "enableSecretEnc" TEXT,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Credential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Device" (
    "id" UUID NOT NULL,
    "hostname" TEXT NOT NULL,
    "mgmtAddress" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 22,
    "vendor" "Vendor" NOT NULL,
    "platform" TEXT NOT NULL,
    "site" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "redundancyGroup" TEXT,
    "credentialId" UUID,
    "facts" JSONB,
    "factsUpdatedAt" TIMESTAMP(3),
    "currentVersion" TEXT,
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Device_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SoftwareImage" (
    "id" UUID NOT NULL,
    "vendor" "Vendor" NOT NULL,
    "platformFamily" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "sha256" TEXT,
    "md5" TEXT,
    "releaseDate" DATE,
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SoftwareImage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CompatibilityEntry" (
    "id" UUID NOT NULL,
    "vendor" "Vendor" NOT NULL,
    "platformFamily" TEXT NOT NULL,
    "fromVersion" TEXT NOT NULL,
    "toVersion" TEXT NOT NULL,
    "level" "CompatLevel" NOT NULL,
    "source" TEXT,
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CompatibilityEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" "CampaignStatus" NOT NULL DEFAULT 'DRAFT',
    "targetImageId" UUID NOT NULL,
    "createdById" UUID NOT NULL,
    "windowStart" TIMESTAMP(3),
    "windowEnd" TIMESTAMP(3),
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "canarySize" INTEGER NOT NULL DEFAULT 0,
    "waveSize" INTEGER NOT NULL DEFAULT 10,
    "concurrency" INTEGER NOT NULL DEFAULT 2,
    "failureBudget" INTEGER NOT NULL DEFAULT 1,
    "gateAfterCanary" BOOLEAN NOT NULL DEFAULT true,
    "allowDisruptive" BOOLEAN NOT NULL DEFAULT false,
    "acceptMode" "AcceptMode" NOT NULL DEFAULT 'AUTO',
    "rebootOldMaster" BOOLEAN NOT NULL DEFAULT true,
    "restoreMastership" BOOLEAN NOT NULL DEFAULT true,
    "planHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignDevice" (
    "campaignId" UUID NOT NULL,
    "deviceId" UUID NOT NULL,
    "wave" INTEGER,

    CONSTRAINT "CampaignDevice_pkey" PRIMARY KEY ("campaignId","deviceId")
);

-- CreateTable
CREATE TABLE "Approval" (
    "id" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "approverId" UUID NOT NULL,
    "decision" "ApprovalDecision" NOT NULL,
    "comment" TEXT NOT NULL,
    "planHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Approval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeviceRun" (
    "id" UUID NOT NULL,
    "deviceId" UUID NOT NULL,
    "campaignId" UUID,
    "imageId" UUID NOT NULL,
    "procedure" "ProcedureKind" NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'PENDING',
    "acceptMode" "AcceptMode" NOT NULL DEFAULT 'AUTO',
    "allowDisruptive" BOOLEAN NOT NULL DEFAULT false,
    "currentStep" TEXT,
    "fromVersion" TEXT,
    "toVersion" TEXT NOT NULL,
    "rollbackDeadline" TIMESTAMP(3),
    "summary" TEXT,
    "error" JSONB,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "DeviceRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunStep" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "status" "StepStatus" NOT NULL DEFAULT 'RUNNING',
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "evidence" JSONB,
    "transcript" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "RunStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyslogMessage" (
    "id" BIGSERIAL NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deviceId" UUID,
    "sourceAddress" TEXT NOT NULL,
    "facility" INTEGER NOT NULL,
    "severity" INTEGER NOT NULL,
    "timestamp" TIMESTAMP(3),
    "hostname" TEXT,
    "appName" TEXT,
    "msgId" TEXT,
    "message" TEXT NOT NULL,
    "raw" TEXT NOT NULL,

    CONSTRAINT "SyslogMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "actorName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "details" JSONB,
    "ip" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Credential_name_key" ON "Credential"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Device_hostname_key" ON "Device"("hostname");

-- CreateIndex
CREATE INDEX "Device_vendor_idx" ON "Device"("vendor");

-- CreateIndex
CREATE INDEX "Device_platform_idx" ON "Device"("platform");

-- CreateIndex
CREATE INDEX "Device_site_idx" ON "Device"("site");

-- CreateIndex
CREATE INDEX "Device_redundancyGroup_idx" ON "Device"("redundancyGroup");

-- CreateIndex
CREATE UNIQUE INDEX "Device_mgmtAddress_port_key" ON "Device"("mgmtAddress", "port");

-- CreateIndex
CREATE UNIQUE INDEX "SoftwareImage_vendor_platformFamily_version_key" ON "SoftwareImage"("vendor", "platformFamily", "version");

-- CreateIndex
CREATE UNIQUE INDEX "SoftwareImage_vendor_platformFamily_fileName_key" ON "SoftwareImage"("vendor", "platformFamily", "fileName");

-- CreateIndex
CREATE UNIQUE INDEX "CompatibilityEntry_vendor_platformFamily_fromVersion_toVers_key" ON "CompatibilityEntry"("vendor", "platformFamily", "fromVersion", "toVersion");

-- CreateIndex
CREATE INDEX "CampaignDevice_deviceId_idx" ON "CampaignDevice"("deviceId");

-- CreateIndex
CREATE INDEX "Approval_campaignId_idx" ON "Approval"("campaignId");

-- CreateIndex
CREATE INDEX "DeviceRun_deviceId_idx" ON "DeviceRun"("deviceId");

-- CreateIndex
CREATE INDEX "DeviceRun_campaignId_idx" ON "DeviceRun"("campaignId");

-- CreateIndex
CREATE INDEX "DeviceRun_status_idx" ON "DeviceRun"("status");

-- CreateIndex
CREATE UNIQUE INDEX "RunStep_runId_seq_key" ON "RunStep"("runId", "seq");

-- CreateIndex
CREATE INDEX "SyslogMessage_deviceId_receivedAt_idx" ON "SyslogMessage"("deviceId", "receivedAt");

-- CreateIndex
CREATE INDEX "SyslogMessage_receivedAt_idx" ON "SyslogMessage"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");

-- CreateIndex
CREATE INDEX "AuditEvent_targetType_targetId_idx" ON "AuditEvent"("targetType", "targetId");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Device" ADD CONSTRAINT "Device_credentialId_fkey" FOREIGN KEY ("credentialId") REFERENCES "Credential"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_targetImageId_fkey" FOREIGN KEY ("targetImageId") REFERENCES "SoftwareImage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignDevice" ADD CONSTRAINT "CampaignDevice_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignDevice" ADD CONSTRAINT "CampaignDevice_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_approverId_fkey" FOREIGN KEY ("approverId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeviceRun" ADD CONSTRAINT "DeviceRun_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeviceRun" ADD CONSTRAINT "DeviceRun_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeviceRun" ADD CONSTRAINT "DeviceRun_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "SoftwareImage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeviceRun" ADD CONSTRAINT "DeviceRun_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunStep" ADD CONSTRAINT "RunStep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "DeviceRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyslogMessage" ADD CONSTRAINT "SyslogMessage_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE SET NULL ON UPDATE CASCADE;
