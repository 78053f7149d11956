-- The map's start (/api/v1/config) names the data's sources: an index lets it skip through
-- the few distinct sources instead of reading every unit (1.3 s at 1 M units).
CREATE INDEX IF NOT EXISTS property_unit_source ON property_unit (source);
