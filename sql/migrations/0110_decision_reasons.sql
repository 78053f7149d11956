-- A decision's reasons (perustelut, Hallintolaki 45 §), kept with it for its document and the
-- case view: a refusal must give them (the service refuses one without), a grant may. Decisions
-- recorded before this keep theirs only in the timeline (NULL here).
ALTER TABLE application_decision ADD COLUMN reasons text;
