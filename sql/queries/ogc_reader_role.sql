-- Whether this session's user may act as the role the ogc views are granted to
-- (sql/migrations/0060_ogc_views.sql makes it when the migrating user may create roles).
SELECT COALESCE((SELECT pg_has_role(current_user, r.oid, 'MEMBER')
                 FROM pg_roles r WHERE r.rolname = 'rajapiste_ogc'), false) AS ok;
