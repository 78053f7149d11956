-- Address ranges of road links (issue 13: address search where addresses are loaded). The NLS
-- road links carry, for each side of the link in its digitised direction, the house numbers at
-- its start and end (odd on one side, even on the other); a number between them is placed on
-- the link by linear interpolation, as the NLS address service does.
ALTER TABLE road_centreline
    ADD COLUMN IF NOT EXISTS address_from_left integer,
    ADD COLUMN IF NOT EXISTS address_to_left integer,
    ADD COLUMN IF NOT EXISTS address_from_right integer,
    ADD COLUMN IF NOT EXISTS address_to_right integer;
CREATE INDEX IF NOT EXISTS road_centreline_name_sv ON road_centreline (lower(name_sv));
