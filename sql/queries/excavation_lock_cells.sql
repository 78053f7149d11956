-- Serialise writes of dig permits that may clash: one transaction-level advisory lock per
-- 1 km grid cell the dig (widened by the clash distance) touches, taken in order so that
-- two writers cannot deadlock. Parameters: cells (bigint[])
SELECT count(pg_advisory_xact_lock(c)) FROM (SELECT unnest(CAST(:cells AS bigint[])) AS c ORDER BY 1) s;
