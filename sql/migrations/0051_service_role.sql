-- Least privilege (issue 14): migrations and imports run as the database's owner; the
-- service connects as a login role that is a member of rajapiste_app, which may read and
-- write rows but create, alter or drop nothing. What rajapiste_app may do per schema is
-- granted after every migration run (sql/queries/grant_service.sql), so that tables added
-- by later migrations are covered too. Roles are cluster-wide: another database of the
-- cluster may have made it. A migrating user who may not create roles (a managed
-- PostgreSQL) leaves it to the operator (README "Least privilege").
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rajapiste_app') THEN
        CREATE ROLE rajapiste_app NOLOGIN;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE USING MESSAGE = 'role rajapiste_app not created: ' || SQLERRM;
END $$;
