-- Empty every data table; the schema and migrations stay.
TRUNCATE property_unit, parcel, personal.owner, building, road_centreline, road_area, plan_area, shore_zone,
         water_area, shoreline, crossing_area, import_log RESTART IDENTITY CASCADE;
