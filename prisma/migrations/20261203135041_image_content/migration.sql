-- AlterTable
ALTER TABLE "SoftwareImage" ADD COLUMN     "contentMd5" TEXT,
ADD COLUMN     "contentSha256" TEXT,
ADD COLUMN     "contentSha512" TEXT,
ADD COLUMN     "contentStoredAt" TIMESTAMP(3),
ADD COLUMN     "contentStoredBy" TEXT,
ADD COLUMN     "sha512" TEXT;

