-- When a credential's secret was last replaced. Rows from before this column take the time of the
-- last audited change that named the secret (a PATCH with a new secret), or stay null (never).
ALTER TABLE "Credential" ADD COLUMN "secretRotatedAt" TIMESTAMP(3);

UPDATE "Credential" c
SET "secretRotatedAt" = (
  SELECT max(a."at") FROM "AuditEvent" a
  WHERE a."targetType" = 'credential'
    AND a."targetId" = c."id"::text
    AND a."action" = 'credential.updated'
    AND a."details" -> 'changed' ? 'secret'
);
