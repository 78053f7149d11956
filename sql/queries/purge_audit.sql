-- Delete audit rows older than the retention period. Parameters: days
DELETE FROM audit.disclosure WHERE at < now() - make_interval(days => :days);
