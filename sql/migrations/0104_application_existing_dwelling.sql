-- What the applicant said about a dwelling already on the site (the statutory exceptions for
-- an outbuilding of an existing dwelling, MRL/AKL 72 § 3 mom, RakL 46 § 2 mom): true or false
-- as said, NULL where the building register decides (as before this column). The analysis
-- frozen at submission uses it, as the page's live analysis did.
ALTER TABLE application ADD COLUMN existing_dwelling boolean;
