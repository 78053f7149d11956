-- Step a permit's lifecycle. Parameters: s (state), a (accepted on), g (guarantee ends), i
UPDATE excavation_permit SET state = :s, accepted_on = :a, guarantee_ends = :g WHERE id = :i;
