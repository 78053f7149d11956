-- Whether an application was ever filed: a filing date now, or a submission in its history (a
-- case taken back to a draft loses its filing date, not its history). Officers read only what
-- was filed and is not a draft now; one definition for the case's and the permit's access and
-- the worklist (application_access.sql, excavation_access_of.sql, application_list.sql).
CREATE FUNCTION application_ever_filed(app_id bigint, filed_on date) RETURNS boolean
    LANGUAGE sql STABLE
AS $$
    SELECT filed_on IS NOT NULL
        OR EXISTS (SELECT 1 FROM application_event e
                   WHERE e.application_id = app_id AND e.to_state = 'submitted')
$$;
