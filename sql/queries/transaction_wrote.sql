-- Whether the current transaction has written anything (a transaction id is assigned on
-- the first write; a read-only transaction never gets one).
SELECT pg_current_xact_id_if_assigned() IS NOT NULL AS wrote;
