-- Which import brought each plan area (the file's full path or the service's address, and the
-- layers read): importing the same file's same layers of a kind again replaces them. The
-- `source` column keeps the file's name, which the coverage shows; two municipalities' files
-- of the same name in different folders are two imports. Buildings, roads, water and
-- shorelines keep this key in their `source` (0094), which nothing shows.
ALTER TABLE plan_area ADD COLUMN import_key text;
CREATE INDEX plan_area_import_key ON plan_area (import_key, kind) WHERE import_key IS NOT NULL;
DROP INDEX IF EXISTS plan_area_source;
