-- The application role and the append-only audit table (issue 9).
--
-- Migrations run as the owner role: whoever runs this file owns every table (current_user). The
-- api, worker and collector connect as members of hitless_app, which gets ordinary DML on the
-- tables, SELECT and INSERT only on "AuditEvent", read-only access to Prisma's bookkeeping table,
-- and no DDL (it owns nothing and has no CREATE on the schema). Nothing here names the owner,
-- so the file works whatever the operator called that role (README.md, "An external PostgreSQL").

-- hitless_app is created by the launcher for the embedded server, by the operator for an
-- external one; an owner allowed to create roles creates it here (as a group role without login).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hitless_app') THEN
    BEGIN
      CREATE ROLE hitless_app NOLOGIN;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'role "hitless_app" does not exist and "%" may not create it: create it first (README.md, "An external PostgreSQL")', current_user;
    END;
  END IF;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO hitless_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO hitless_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "_prisma_migrations" FROM hitless_app;
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "AuditEvent" FROM hitless_app;

-- Tables and sequences that later migrations create get the same grants. A migration that
-- recreates "AuditEvent" must repeat the REVOKE above and the trigger below.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hitless_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO hitless_app;

-- Refuses UPDATE, DELETE and TRUNCATE on the audit table for every role but the table's owner,
-- also for a role that was granted the privilege by mistake. A superuser can still disable it
-- (ALTER TABLE … DISABLE TRIGGER, session_replication_role): the keyed hashes and the signed
-- checkpoints outside the database (packages/db/src/audit.ts) are what catch that.
CREATE FUNCTION "audit_event_append_only"() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $$
BEGIN
  IF (SELECT oid FROM pg_roles WHERE rolname = current_user) <> (SELECT relowner FROM pg_class WHERE oid = TG_RELID) THEN
    RAISE EXCEPTION 'the audit trail is append-only: % on "AuditEvent" is refused for role %', TG_OP, current_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END;
$$;

REVOKE ALL ON FUNCTION "audit_event_append_only"() FROM PUBLIC;

CREATE TRIGGER "AuditEvent_append_only"
  BEFORE UPDATE OR DELETE OR TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"();
