-- Tiles of the parcels layer no longer carry a private unit's name (it can be a family name:
-- sql/queries/tile_parcels.sql). Tiles already sent are cached by the layer's data version
-- (a year, immutable): a new version makes every client fetch them again.
UPDATE tile_version SET version = version + 1 WHERE layer = 'parcels';
