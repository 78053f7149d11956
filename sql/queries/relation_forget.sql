-- Forget which rules a municipality's opposite neighbours were built with, before all of
-- its units are rebuilt (rajapiste db relations): the rebuild records them afresh instead
-- of 'mixed'. Parameters: municipality (NULL: every municipality)
DELETE FROM relation_build
WHERE CAST(:municipality AS text) IS NULL OR municipality = :municipality;
