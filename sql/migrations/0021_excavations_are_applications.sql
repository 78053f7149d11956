-- Dig permits become applications of kind 'excavation' ('area_use' for area-use permits):
-- one id space, so /api/v1/excavations/{id} and /api/v1/applications/{id} name the same case
-- and old links keep working. The permit row keeps the works' own lifecycle (approved,
-- finished, accepted, guarantee_ended); the application mirrors it in the case states.

CREATE FUNCTION excavation_application_kind(permit_kind text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN permit_kind = 'area_use' THEN 'area_use' ELSE 'excavation' END
$$;

-- The works lifecycle in the application's states: approval is the decision, a finished,
-- accepted or guarantee-ended work is completed.
CREATE FUNCTION excavation_application_state(permit_state text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE permit_state
        WHEN 'draft' THEN 'draft'
        WHEN 'submitted' THEN 'submitted'
        WHEN 'approved' THEN 'decided'
        WHEN 'started' THEN 'started'
        WHEN 'withdrawn' THEN 'withdrawn'
        ELSE 'completed' END
$$;

-- Existing permits, with their ids.
INSERT INTO application (id, kind, state, municipality, description, created_by, created_at,
                         updated_at, filed_on, withdrawn_at, site)
SELECT p.id, excavation_application_kind(p.kind), excavation_application_state(p.state),
       p.municipality, p.description, p.created_by, p.created_at, p.created_at,
       CASE WHEN p.state <> 'draft' THEN CAST(p.created_at AS date) END, p.withdrawn_at,
       (SELECT ST_Multi(ST_Union(a.geom)) FROM excavation_area a WHERE a.permit_id = p.id)
FROM excavation_permit p;

-- One sequence for both: a new permit takes the next application id.
SELECT setval('application_id_seq',
              GREATEST((SELECT last_value FROM excavation_permit_id_seq),
                       (SELECT COALESCE(max(id), 0) FROM application), 1));
ALTER TABLE excavation_permit ALTER COLUMN id SET DEFAULT nextval('application_id_seq');
DROP SEQUENCE excavation_permit_id_seq;
ALTER TABLE excavation_permit ADD CONSTRAINT excavation_permit_application_fk
    FOREIGN KEY (id) REFERENCES application (id) ON DELETE CASCADE;

-- However a permit row is written (the service, the benchmark's bulk insert, an admin's SQL),
-- its application exists first and follows its state.
CREATE FUNCTION excavation_permit_to_application() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO application (id, kind, state, municipality, description, created_by, created_at,
                             filed_on, withdrawn_at)
    VALUES (NEW.id, excavation_application_kind(NEW.kind), excavation_application_state(NEW.state),
            NEW.municipality, NEW.description, NEW.created_by, NEW.created_at,
            CASE WHEN NEW.state <> 'draft' THEN CAST(NEW.created_at AS date) END, NEW.withdrawn_at)
    ON CONFLICT (id) DO NOTHING;
    RETURN NEW;
END
$$;
CREATE TRIGGER excavation_permit_insert BEFORE INSERT ON excavation_permit
    FOR EACH ROW EXECUTE FUNCTION excavation_permit_to_application();

CREATE FUNCTION excavation_permit_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE application
    SET kind = excavation_application_kind(NEW.kind),
        state = excavation_application_state(NEW.state),
        municipality = NEW.municipality,
        description = NEW.description,
        withdrawn_at = NEW.withdrawn_at,
        filed_on = COALESCE(filed_on, CASE WHEN NEW.state NOT IN ('draft', 'withdrawn')
                                            THEN current_date END),
        version = version + 1,
        updated_at = now()
    WHERE id = NEW.id;
    RETURN NEW;
END
$$;
CREATE TRIGGER excavation_permit_update AFTER UPDATE ON excavation_permit
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION excavation_permit_changed();

CREATE FUNCTION excavation_permit_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM application WHERE id = OLD.id;
    RETURN OLD;
END
$$;
CREATE TRIGGER excavation_permit_delete AFTER DELETE ON excavation_permit
    FOR EACH ROW EXECUTE FUNCTION excavation_permit_deleted();
