-- The map layers' versions start from this database's own moment, not from 1. A tile URL names
-- its layer's version and is cached for a year as immutable (api/http/routers/tiles.py): a
-- database made again (`db destroy` and a new load, a new server) counted from 1 again and
-- the browsers that had seen the old one kept its tiles under the same URLs. Milliseconds
-- since 1970 at the migration: a database made later starts higher. A restored dump keeps its
-- versions, and its data is theirs.
UPDATE tile_version
SET version = version + (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
