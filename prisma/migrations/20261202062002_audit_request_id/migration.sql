-- The request id an audit event was made by. Rows before this have none, and their hashes, which
-- cover the id only when there is one, are unchanged.
-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "requestId" TEXT;

