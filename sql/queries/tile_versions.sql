-- The data version of every map layer (bumped by each write to its tables).
SELECT layer, version FROM tile_version ORDER BY layer;
