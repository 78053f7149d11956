"""Owner privacy at the boundary (domain.md N9): withhold what the caller may not see, log the rest.

The rule code computes neighbour lists with every owner (the letters and their cost depend
on them); this module is the one place where a finished document is cut down for its
reader, and where every response that still holds personal owner data is written to the
audit trail, committed before the response is sent (on the connection that read it, or on
the primary when a read replica served it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from api.schemas.analysis import SiteAnalysis
from api.schemas.neighbours import HearingTotals, Neighbour, NeighbourList, Owner, Recipient
from api.services import audit
from api.services.policy import User, can_see_owners, is_personal
from api.storage.engine import fetch_all


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking (None: anonymous) and through which endpoint ('GET /api/v1/...')."""

    user: User | None
    endpoint: str


def published_for(conn: Connection, user: User | None, application_id: int | None) -> str | None:
    """The municipality whose owners an officer published to `user` for this application, or None.

    Published on the applicant's request, only when the applicant hears the neighbours (N9:
    never when the authority does), and only to those who apply: its creator and accepted
    co-applicants. Then the applicant sees the owners of that application's neighbours in the
    application's municipality: what its officer, who published them, sees.
    """
    if user is None or application_id is None:
        return None
    rows = fetch_all(conn, "application_published_for", i=application_id, u=user.id)
    return str(rows[0]["published_in"]) if rows and rows[0]["published_in"] else None


def withheld(owner: Owner) -> Owner:
    """An owner as shown to a caller who may not see them: the kind only."""
    return Owner(kind=owner.kind, name=None, withheld=True)


def _neighbours(
    rows: list[Neighbour], user: User | None, published: str | None
) -> tuple[list[Neighbour], set[str], list[str]]:
    """(rows as the user may see them, units they may see, units whose personal owners are shown)."""
    out: list[Neighbour] = []
    visible: set[str] = set()
    shown: list[str] = []
    for n in rows:
        personal = any(is_personal(o.kind) for o in n.owners)
        if can_see_owners(user, n.municipality, published):
            visible.add(n.property_id)
            out.append(n)
            if personal:
                shown.append(n.property_id)
            continue
        owners = [withheld(o) if is_personal(o.kind) else o for o in n.owners]
        out.append(n.model_copy(update={"owners": owners}) if personal else n)
    return out, visible, shown


def _totals(totals: HearingTotals, visible: set[str]) -> HearingTotals:
    """Withhold private letter recipients unless the reader may see every unit they are heard for."""
    recipients = [
        r
        if not is_personal(r.kind) or set(r.property_ids) <= visible
        else Recipient(recipient=None, withheld=True, kind=r.kind, property_ids=r.property_ids)
        for r in totals.recipients
    ]
    return totals.model_copy(update={"recipients": recipients})


def _cut(
    conn: Connection,
    caller: Caller,
    rows: list[Neighbour],
    totals: HearingTotals,
    application_id: int | None,
) -> tuple[list[Neighbour], HearingTotals]:
    """Neighbour rows and hearing totals as the caller may see them; what they keep is audited."""
    published = published_for(conn, caller.user, application_id)
    out, visible, shown = _neighbours(rows, caller.user, published)
    audit.record(conn, caller.user, caller.endpoint, shown, application_id)
    return out, _totals(totals, visible)


def disclose_list(
    conn: Connection, caller: Caller, doc: NeighbourList, application_id: int | None = None
) -> NeighbourList:
    """A neighbour list as the caller may see it; what personal data it keeps is audited."""
    rows, totals = _cut(conn, caller, doc.neighbours, doc.totals, application_id)
    return doc.model_copy(update={"neighbours": rows, "totals": totals})


def disclose_analysis(
    conn: Connection, caller: Caller, doc: SiteAnalysis, application_id: int | None = None
) -> SiteAnalysis:
    """A site analysis as the caller may see it; what personal data it keeps is audited."""
    rows, totals = _cut(conn, caller, doc.neighbours, doc.hearing, application_id)
    return doc.model_copy(update={"neighbours": rows, "hearing": totals})
