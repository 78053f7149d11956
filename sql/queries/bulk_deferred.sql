-- What a bulk load into empty tables sets aside and makes again once the rows are in: each
-- table's secondary indexes (neither primary, unique nor behind a constraint) and the foreign
-- keys it holds. One build from the loaded rows is several times cheaper than keeping an index
-- up to date row by row, and one validating join than a check per row. The statements come
-- ready to run: indexes are made before the foreign keys that are checked with them.
SELECT format('DROP INDEX %s', i.indexrelid::regclass) AS drop_ddl,
       pg_get_indexdef(i.indexrelid) AS create_ddl,
       0 AS step
FROM pg_index i
WHERE i.indrelid = ANY (:tables::text[]::regclass[])
  AND NOT i.indisprimary
  AND NOT i.indisunique
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
UNION ALL
SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname),
       format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname,
              pg_get_constraintdef(k.oid)),
       1
FROM pg_constraint k
WHERE k.contype = 'f'
  AND k.conrelid = ANY (:tables::text[]::regclass[])
ORDER BY step, create_ddl;
