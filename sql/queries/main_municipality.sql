-- The municipality most of the loaded units lie in (the demo officer acts for it).
SELECT municipality FROM property_unit GROUP BY 1 ORDER BY count(*) DESC LIMIT 1;
