-- Taken by every writer of dig permits before its cells (excavation_lock_cells.sql): shared by
-- those that lock their cells one by one, alone by one whose digs cover more cells than are
-- worth a lock each (it then takes no cells). Parameters: key (bigint), alone (boolean)
SELECT CASE WHEN :alone THEN pg_advisory_xact_lock(:key) ELSE pg_advisory_xact_lock_shared(:key) END;
