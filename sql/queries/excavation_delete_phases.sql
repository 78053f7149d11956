-- Forget an application's phases and dig areas before storing the edited ones. Parameters: i
DELETE FROM excavation_phase WHERE permit_id = :i;
