"""Applications: file one from a property or a drawing, save the draft as you go, submit it.

A draft is the applicant's: only its parties see and change it. Submitting fixes the filing
date and with it the legal regime (domain.md §0), freezes the site analysis and neighbour
list (api.services.case_analysis) and shows the case to the municipality's officers.
Dig and area-use permits are applications too: they are created and checked through
api.services.excavations (their phases and findings), and listed and read here.
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, delete, insert

from api import finland
from api.schemas.applications import Application
from api.schemas.requests import (
    ApplicationIn,
    ApplicationPatch,
    ApplicationStateIn,
    BuildingIn,
    ExcavationIn,
    PartyIn,
)
from api.services import case_analysis, case_view, cases, excavations, neighbours, policy, sites
from api.services.accounts import normalise_email
from api.services.policy import User
from api.settings import Settings
from api.storage import models as m
from geo import crs as crs_mod
from geo import regime
from geo.applications import states
from geo.errors import Conflict, InvalidGeometry, InvalidInput
from geo.geometry import polygonal_part, site_from_geojson


def _site(
    conn: Connection, settings: Settings, property_id: str | None, site: Any, crs: str | None
) -> tuple[BaseGeometry | None, list[str], str | None]:
    """(site in EPSG:3067, its own units, its municipality) of a drawing or a property id.

    Given both, the drawing is the site, as in a site analysis (api.services.analysis): the
    case is what the applicant analysed; its own units are those the drawing lies on.
    """
    if site is not None:
        geom = sites.drawn_site(settings, site, crs)
        own = [u.property_id for u in neighbours.own_units(conn, geom, None)]
        return geom, own, sites.municipality_at(conn, geom, settings.default_municipality)
    if property_id:
        unit, geom = neighbours.site_of_property(conn, property_id)
        return polygonal_part(geom), [unit["property_id"]], str(unit["municipality"])
    return None, [], None


def _footprint(i: int, b: BuildingIn, srid: int) -> Polygon:
    fp = site_from_geojson(b.footprint, srid, what=f"building {i} footprint")
    poly = fp.geoms[0] if len(fp.geoms) == 1 else fp.convex_hull
    if not isinstance(poly, Polygon):
        raise InvalidGeometry(f"building {i} footprint must be one polygon")
    return poly


def _store_buildings(
    conn: Connection, app_id: int, buildings: list[BuildingIn], crs: str | None
) -> None:
    """Replace the planned buildings of an application."""
    srid = crs_mod.parse_srid(crs)
    conn.execute(
        delete(m.application_building).where(m.application_building.c.application_id == app_id)
    )
    for i, b in enumerate(buildings, start=1):
        conn.execute(
            insert(m.application_building).values(
                application_id=app_id,
                n=i,
                use=b.use,
                floor_area_m2=b.floor_area_m2,
                height_m=b.height_m,
                footprint=m.to_db(_footprint(i, b, srid)),
            )
        )


def _store_parties(conn: Connection, app_id: int, parties: list[PartyIn], by: User) -> None:
    """Invite the parties named at filing; an address named twice is refused (422)."""
    emails = [normalise_email(p.email) for p in parties]
    twice = sorted({e for e in emails if emails.count(e) > 1})
    if twice:
        raise InvalidInput(f"parties name {', '.join(twice)} more than once", email=twice[0])
    for p in parties:
        conn.execute(
            insert(m.application_party).values(
                application_id=app_id,
                role=p.role,
                name=cases.one_line(p.name),
                email=normalise_email(p.email),
                invited_by=by.id,
            )
        )


def _create_works(conn: Connection, settings: Settings, user: User, body: ApplicationIn) -> int:
    """A dig or area-use application: checked and stored by the excavation service, as a draft."""
    if not body.phases:
        raise InvalidInput(f"a {body.kind} application needs its work phases ('phases')")
    permit = ExcavationIn(
        municipality=body.municipality,
        kind=body.kind,
        emergency=body.emergency,
        applicant=cases.one_line(body.applicant),
        crs=body.crs,
        description=body.description,
        phases=body.phases,
    )
    return excavations.create(conn, settings, permit, by=user, state="draft").id


def create(
    conn: Connection, settings: Settings, user: User | None, body: ApplicationIn, lang: str = "fi"
) -> Application:
    """File a new draft application of the signed-in user; returns it (201)."""
    who = policy.check_may_file(user, body.kind)
    if body.kind in states.WORKS_KINDS:
        app_id = _create_works(conn, settings, who, body)
        return case_view.document(conn, settings, who, app_id, lang)
    geom, own, code = _site(conn, settings, body.property_id, body.site, body.crs)
    municipality = code or (body.municipality or settings.default_municipality).zfill(3)
    app_id = conn.execute(
        insert(m.application)
        .values(
            kind=body.kind,
            municipality=municipality,
            property_ids=own,
            site=m.to_db(geom),
            site_from_property=body.site is None and bool(body.property_id),
            description=body.description,
            applicant_name=cases.one_line(body.applicant),
            existing_dwelling=body.existing_dwelling,
            heard_by=body.heard_by,
            created_by=who.id,
        )
        .returning(m.application.c.id)
    ).scalar_one()
    _store_buildings(conn, app_id, body.buildings, body.crs)
    _store_parties(conn, app_id, body.parties, who)
    cases.event(conn, app_id, who, "created", to_state="draft", kind=body.kind)
    conn.commit()
    return case_view.document(conn, settings, who, app_id, lang)


def _patch_values(conn: Connection, settings: Settings, patch: ApplicationPatch) -> dict[str, Any]:
    """The columns a draft's patch changes (only the fields it gives)."""
    given = patch.model_fields_set
    values: dict[str, Any] = {}
    if "property_id" in given or "site" in given:
        geom, own, code = _site(conn, settings, patch.property_id, patch.site, patch.crs)
        values.update(
            site=m.to_db(geom),
            property_ids=own,
            site_from_property=patch.site is None and bool(patch.property_id),
        )
        if code:
            values["municipality"] = code
    for key in ("kind", "description", "heard_by"):
        if key in given and getattr(patch, key) is not None:
            values[key] = getattr(patch, key)
    if "applicant" in given:
        values["applicant_name"] = cases.one_line(patch.applicant)
    if "existing_dwelling" in given:  # null: the building register decides again
        values["existing_dwelling"] = patch.existing_dwelling
    if values.get("kind") in states.WORKS_KINDS:
        raise InvalidInput("a draft cannot become a dig or area-use permit: file one instead")
    return values


def update(
    conn: Connection,
    settings: Settings,
    user: User | None,
    app_id: int,
    patch: ApplicationPatch,
    lang: str = "fi",
) -> Application:
    """Save changes to a draft (the applicant's parties only); a stale version answers 409."""
    _, a = cases.visible(conn, user, app_id)
    who = policy.check_case_actor(user, a, "editor", "change the application")
    current = cases.lock(conn, app_id, patch.version)
    if current["kind"] in states.WORKS_KINDS:
        raise Conflict(
            f"application {app_id} is a dig permit: edit it with PUT /api/v1/excavations/{app_id}"
        )
    if current["state"] not in states.EDITABLE:
        raise Conflict(
            f"application {app_id} is {current['state']!r}: only a draft can be changed",
            state=current["state"],
        )
    values = _patch_values(conn, settings, patch)
    if patch.buildings is not None:
        _store_buildings(conn, app_id, patch.buildings, patch.crs)
    cases.bump(conn, app_id, **values)
    conn.commit()
    return case_view.document(conn, settings, who, app_id, lang)


def submit(
    conn: Connection,
    settings: Settings,
    user: User | None,
    app_id: int,
    version: int | None,
    lang: str = "fi",
) -> Application:
    """Hand a draft in: the filing date and regime are fixed, the analysis frozen (409 if incomplete)."""
    _, a = cases.visible(conn, user, app_id)
    who = policy.check_case_actor(user, a, "applicant", "submit the application")
    current = cases.lock(conn, app_id, version, required=False)  # issue 11: no body needed
    if current["kind"] in states.WORKS_KINDS:
        step = ApplicationStateIn(state="submitted", version=current["version"])
        return case_view.works_step(conn, settings, who, a, current, step, lang)
    states.who_moves(current["state"], "submitted")
    if current["site"] is None:
        raise Conflict(f"application {app_id} has no site yet: give a property id or a drawing")
    missing = case_view.missing_attachments(conn, settings, current)
    if missing:
        raise Conflict(
            f"application {app_id} lacks required attachments: {', '.join(missing)}",
            missing=missing,
        )
    filed = finland.today()
    reg = regime.for_date(filed)
    cases.bump(conn, app_id, state="submitted", filed_on=filed, regime=reg.code)
    case_analysis.freeze(conn, settings, app_id, "submitted")
    cases.event(
        conn,
        app_id,
        who,
        "submitted",
        on=filed,
        from_state=current["state"],
        to_state="submitted",
        regime=reg.code,
    )
    conn.commit()
    return case_view.document(conn, settings, who, app_id, lang)
