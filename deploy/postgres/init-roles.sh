#!/bin/sh
# Run once by the postgres image on a new data directory (docker-entrypoint-initdb.d): the two
# roles of README.md's "An external PostgreSQL: two roles", and the database owned by the owner.
# The migrate service then connects as hitless_owner; api and worker as hitless_app.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_pw="$HITLESS_DB_OWNER_PASSWORD" -v app_pw="$HITLESS_DB_APP_PASSWORD" <<'SQL'
CREATE ROLE hitless_owner LOGIN PASSWORD :'owner_pw';
CREATE ROLE hitless_app LOGIN PASSWORD :'app_pw';
CREATE DATABASE hitless OWNER hitless_owner;
\c hitless
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
