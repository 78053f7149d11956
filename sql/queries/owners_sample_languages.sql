-- Demo owners: about one in sixteen writes in Swedish (Helsinki is bilingual), so the demo's
-- hearing letters come in both languages. Generated owners only. Parameters: municipality
UPDATE personal.owner SET language = 'sv'
WHERE name LIKE '% (demo)' AND kind IN ('person', 'estate') AND id % 16 = 0
  AND property_id LIKE :municipality || '%';
