-- What the service's role may do, granted after every migration run (as the owner).
--   public, account: read and write rows (permits, accounts, tokens)
--   audit:           read and append: the trail cannot be changed by the service
--   personal:        owners read only (imported and purged by the CLI as the owner);
--                    the service's own personal records read and written
--   ogc:             read, and act as rajapiste_ogc for /ogc
-- Nothing else: no CREATE on any schema, no DDL (the role owns nothing).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rajapiste_app') THEN
        RETURN;
    END IF;
    GRANT USAGE ON SCHEMA public, account, audit, personal TO rajapiste_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, account TO rajapiste_app;
    GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA audit TO rajapiste_app;
    -- personal data the service records itself (e.g. hearing addressees) it may write;
    -- the owner register it only reads
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA personal TO rajapiste_app;
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON personal.owner FROM rajapiste_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public, account, audit, personal TO rajapiste_app;
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    IF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'ogc') THEN
        GRANT USAGE ON SCHEMA ogc TO rajapiste_app;
        GRANT SELECT ON ALL TABLES IN SCHEMA ogc TO rajapiste_app;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'rajapiste_ogc') THEN
        GRANT rajapiste_ogc TO rajapiste_app;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE USING MESSAGE = 'service grants incomplete: ' || SQLERRM;
END $$;
