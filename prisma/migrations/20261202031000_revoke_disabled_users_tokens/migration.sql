-- A disabled user's API tokens stay revoked when the user is enabled again (issue 9). Disabling
-- now revokes them; this revokes those of users disabled before that, which would otherwise come
-- back with the user. Data only: no schema change.
UPDATE "ApiToken" SET "revokedAt" = now() WHERE "revokedAt" IS NULL AND "userId" IN (SELECT id FROM "User" WHERE disabled);
