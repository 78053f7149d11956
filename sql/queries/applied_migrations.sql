-- The migrations applied to this database (readiness check: no table is scanned).
SELECT version FROM schema_migrations;
