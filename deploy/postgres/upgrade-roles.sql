-- For an installation whose PostgreSQL data predates the two roles (docker-compose.yml's
-- postgres-data volume from before issue 9: docker-entrypoint-initdb.d never runs on it again).
-- Creates hitless_owner and hitless_app if missing (else sets their passwords), and hands the
-- database and everything in schema public (tables, views, standalone sequences, enum types,
-- functions) to hitless_owner, as packages/runtime/src/postgres.ts's handOverToOwner does for the
-- embedded server. Idempotent: running it again changes nothing. Run it as the old bootstrap
-- superuser, connected to the product's database:
--
--   docker compose exec postgres psql -U hitless -d hitless -v ON_ERROR_STOP=1 \
--     -v owner_pw="$HITLESS_DB_OWNER_PASSWORD" -v app_pw="$HITLESS_DB_APP_PASSWORD" \
--     -f /hitless/upgrade-roles.sql
--
-- then migrate (the migrate service also re-keys the audit trail, once): docker compose up -d.
\set ON_ERROR_STOP on
\if :{?owner_pw}
\else
  DO $$ BEGIN RAISE EXCEPTION 'set -v owner_pw=… (the hitless_owner password, HITLESS_DB_OWNER_PASSWORD)'; END $$;
\endif
\if :{?app_pw}
\else
  DO $$ BEGIN RAISE EXCEPTION 'set -v app_pw=… (the hitless_app password, HITLESS_DB_APP_PASSWORD)'; END $$;
\endif

-- psql does not expand :'var' inside dollar quotes, so the role statements are built here and
-- run by \gexec.
SELECT format('%s ROLE hitless_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
              CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hitless_owner') THEN 'ALTER' ELSE 'CREATE' END,
              :'owner_pw') \gexec
SELECT format('%s ROLE hitless_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
              CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hitless_app') THEN 'ALTER' ELSE 'CREATE' END,
              :'app_pw') \gexec

SELECT format('ALTER DATABASE %I OWNER TO hitless_owner', current_database()) \gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

DO $$
DECLARE
  r record;
BEGIN
  FOR r IN
    -- Tables and views; a table's own sequences (serial and identity columns) follow it.
    SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END AS kind, format('%I.%I', n.nspname, c.relname) AS name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v') AND c.relowner <> 'hitless_owner'::regrole
    UNION ALL
    -- Sequences no column owns.
    SELECT 'SEQUENCE', format('%I.%I', n.nspname, c.relname)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'S' AND c.relowner <> 'hitless_owner'::regrole
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
    UNION ALL
    SELECT 'TYPE', format('%I.%I', n.nspname, t.typname)
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' AND t.typtype = 'e' AND t.typowner <> 'hitless_owner'::regrole
    UNION ALL
    SELECT 'FUNCTION', p.oid::regprocedure::text
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' AND p.proowner <> 'hitless_owner'::regrole
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO hitless_owner', r.kind, r.name);
  END LOOP;
END $$;
