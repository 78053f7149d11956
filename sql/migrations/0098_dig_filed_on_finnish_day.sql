-- A dig permit's filing date is the Finnish calendar day it was filed on, whatever the
-- database's or the session's TimeZone (a server in UTC filed a permit sent at 01:30 Finnish
-- time on the day before, and charged it by that day's rules). As 0021's functions otherwise.
CREATE OR REPLACE FUNCTION excavation_permit_to_application() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO application (id, kind, state, municipality, description, created_by, created_at,
                             filed_on, withdrawn_at)
    VALUES (NEW.id, excavation_application_kind(NEW.kind), excavation_application_state(NEW.state),
            NEW.municipality, NEW.description, NEW.created_by, NEW.created_at,
            CASE WHEN NEW.state <> 'draft'
                 THEN (NEW.created_at AT TIME ZONE 'Europe/Helsinki')::date END,
            NEW.withdrawn_at)
    ON CONFLICT (id) DO NOTHING;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION excavation_permit_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE application
    SET kind = excavation_application_kind(NEW.kind),
        state = excavation_application_state(NEW.state),
        municipality = NEW.municipality,
        description = NEW.description,
        withdrawn_at = NEW.withdrawn_at,
        filed_on = COALESCE(filed_on, CASE WHEN NEW.state NOT IN ('draft', 'withdrawn')
                                            THEN (now() AT TIME ZONE 'Europe/Helsinki')::date END),
        version = version + 1,
        updated_at = now()
    WHERE id = NEW.id;
    RETURN NEW;
END
$$;
