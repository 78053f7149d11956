#!/bin/sh
# First start of the database: the service's login role (README "Least privilege").
# Its rights come from the migrations (rajapiste_app, granted after every migration run).
set -eu
psql -v ON_ERROR_STOP=1 -v pw="$RAJAPISTE_SERVICE_PASSWORD" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE rajapiste_app NOLOGIN;
CREATE ROLE rajapiste_service LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';
GRANT rajapiste_app TO rajapiste_service;
SQL
