"""Who may see and do what (domain.md N9, issue 10): pure decisions about a caller, no I/O.

Every place that outputs owner data or changes a permit asks these functions, so the rules
of access live in one module and the role x endpoint matrix test exercises all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from geo.applications import states as app_states
from geo.errors import DomainError, NotFound

Role = Literal["applicant", "contractor", "officer", "admin"]
ROLES: tuple[Role, ...] = ("applicant", "contractor", "officer", "admin")

# Owners that are public bodies stay visible to everyone: a street belongs to the city,
# a state road to the ELY centre. Every other kind is (or names) a private party.
PUBLIC_OWNER_KINDS = frozenset({"municipality", "state"})

# Lifecycle steps: the applicant or contractor may only hand in, take back or withdraw
# their own application; the authority moves it through approval and the later states.
OWNER_STEPS = frozenset({"draft", "submitted", "withdrawn"})
OFFICER_STEPS = frozenset(
    {"draft", "approved", "refused", "started", "finished", "accepted", "guarantee_ended"}
)
EDITABLE_STATES = frozenset({"draft", "submitted"})  # the applicant may still change it


@dataclass(frozen=True, slots=True)
class User:
    """A signed-in user: who (id, e-mail), which role, and an officer's municipality."""

    id: int
    email: str
    role: Role
    municipality: str | None = None
    # the SHA-256 of the token the user signed in with on this request (None: none, the CLI)
    token_sha256: bytes | None = field(default=None, repr=False, compare=False)


class NotSignedIn(DomainError):
    """The request needs a signed-in user (HTTP 401)."""

    code = "not_signed_in"


class InvalidToken(NotSignedIn):
    """A token was sent but is unknown, expired or revoked, or its account disabled (HTTP 401).

    Also when the primary no longer accepts it though a lagging replica did (`audit.record`).
    """

    code = "invalid_token"


class Forbidden(DomainError):
    """The signed-in user may not do this (HTTP 403)."""

    code = "forbidden"


class TooManyAttempts(DomainError):
    """Too many failed sign-ins for this account or address (HTTP 429)."""

    code = "too_many_attempts"

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message, retry_after_s=retry_after_s)
        self.retry_after_s = retry_after_s


def is_personal(owner_kind: str) -> bool:
    """Whether an owner of this kind is personal data (anyone but a public body)."""
    return owner_kind not in PUBLIC_OWNER_KINDS


def can_see_owners(
    user: User | None, unit_municipality: str | None, published_in: str | None
) -> bool:
    """Whether `user` may see the personal owners of a unit in `unit_municipality`.

    Officers see the units of their own municipality, admins every unit. An applicant sees
    them only when an officer has published the contacts of that application's neighbours
    to them (`published_in`: the application's municipality, `privacy.published_for`; N9:
    never when the authority itself does the hearing), and only those of units in that
    municipality: what the officer who published them sees. Contractors and anonymous
    callers never do.
    """
    if user is None:
        return False
    if user.role == "admin":
        return True
    if user.role == "officer":
        return unit_municipality is not None and user.municipality == unit_municipality
    if user.role == "applicant":
        return published_in is not None and unit_municipality == published_in
    return False


def require_user(user: User | None) -> User:
    """Return the signed-in user, or refuse an anonymous caller (401)."""
    if user is None:
        raise NotSignedIn("sign in first (POST /api/v1/auth/token)")
    return user


def require_role(user: User | None, *roles: Role) -> User:
    """Return the user if their role is one of `roles`: 401 when anonymous, 403 otherwise."""
    who = require_user(user)
    if who.role not in roles:
        raise Forbidden(
            f"a{'n' if who.role[0] in 'aeiou' else ''} {who.role} may not do this", role=who.role
        )
    return who


def is_permit_officer(user: User | None, municipality: str) -> bool:
    """Whether the user is the authority for a permit of `municipality` (its officer, or admin)."""
    return user is not None and (
        user.role == "admin" or (user.role == "officer" and user.municipality == municipality)
    )


def can_view_permit(
    user: User | None, municipality: str, created_by: int | None, filed: bool
) -> bool:
    """Whether the user may read a stored permit: its creator, an admin, or its filed authority.

    A draft, or one withdrawn before it was ever submitted, is its creator's alone.
    """
    if user is None:
        return False
    if user.role == "admin" or (created_by is not None and created_by == user.id):
        return True
    return filed and is_permit_officer(user, municipality)


def check_view_permit(
    user: User | None, permit_id: int, municipality: str, created_by: int | None, filed: bool
) -> User:
    """Refuse to show a permit: 401 anonymous, 404 for someone else's (its existence stays private)."""
    who = require_user(user)
    if not can_view_permit(who, municipality, created_by, filed):
        raise NotFound(f"excavation permit {permit_id} does not exist", permit_id=permit_id)
    return who


def check_edit_permit(
    user: User | None, permit_id: int, municipality: str, created_by: int | None, filed: bool
) -> User:
    """Refuse to edit a permit unless the user created it (or is an admin)."""
    who = check_view_permit(user, permit_id, municipality, created_by, filed)
    if who.role != "admin" and created_by != who.id:
        raise Forbidden(f"only the applicant may edit permit {permit_id}", permit_id=permit_id)
    return who


def check_step(
    user: User | None,
    permit_id: int,
    municipality: str,
    created_by: int | None,
    new_state: str,
    filed: bool,
) -> User:
    """Refuse a lifecycle step the user may not take on this permit (401, 404 or 403)."""
    who = check_view_permit(user, permit_id, municipality, created_by, filed)
    if who.role == "admin" or new_state not in OWNER_STEPS | OFFICER_STEPS:
        return who  # an unknown state is refused by the lifecycle itself (422)
    mine = created_by == who.id
    if mine and new_state in OWNER_STEPS:
        return who
    if mine and new_state in OFFICER_STEPS:  # an officer who filed it: another one decides
        raise Forbidden(
            f"you filed permit {permit_id}: another officer of the municipality approves and "
            "follows it up",
            permit_id=permit_id,
            state=new_state,
        )
    if is_permit_officer(who, municipality) and new_state in OFFICER_STEPS:
        return who
    allowed = "submit, return to draft or withdraw their own" if mine else "approve and follow up"
    raise Forbidden(
        f"a {who.role} may not set permit {permit_id} to {new_state!r} ({allowed})",
        permit_id=permit_id,
        state=new_state,
    )


@dataclass(frozen=True, slots=True)
class CaseAccess:
    """What deciding who may read or change an application needs."""

    application_id: int
    municipality: str
    created_by: int | None
    state: str
    filed: bool = False  # submitted at least once (application_ever_filed)
    editors: frozenset[int] = frozenset()  # accounts of the parties who accepted an invitation
    signers: frozenset[int] = frozenset()  # ... of those who apply with the applicant

    @property
    def officers_read(self) -> bool:
        """Whether its municipality's officers may read it: filed once and no draft now."""
        return self.filed and self.state != "draft"


def is_case_party(user: User | None, a: CaseAccess) -> bool:
    """Whether the user applies (the creator or an accepted party)."""
    return user is not None and (user.id == a.created_by or user.id in a.editors)


def applies(user: User | None, a: CaseAccess) -> bool:
    """Whether the user applies: the creator, or a co-applicant who accepted (may invite)."""
    return user is not None and (user.id == a.created_by or user.id in a.signers)


def can_view_case(user: User | None, a: CaseAccess) -> bool:
    """Its parties, the municipality's officers (once it was filed and is no draft) and admins.

    A draft withdrawn before it was ever submitted stays its parties' alone.
    """
    if user is None:
        return False
    if user.role == "admin" or is_case_party(user, a):
        return True
    return a.officers_read and is_permit_officer(user, a.municipality)


def check_view_case(user: User | None, a: CaseAccess) -> User:
    """Refuse to show an application: 401 anonymous, 404 for someone else's (it stays private)."""
    who = require_user(user)
    if not can_view_case(who, a):
        raise NotFound(
            f"application {a.application_id} does not exist", application_id=a.application_id
        )
    return who


def acts_as(user: User | None, a: CaseAccess, actor: str) -> bool:
    """Whether the user may act on the case as its `actor`; an admin may act as any.

    "applicant": the creator or an accepted co-applicant; "editor": any accepted party;
    "authority": the municipality's permit officer.
    """
    if user is None:
        return False
    if user.role == "admin":
        return True
    if actor == "authority":
        return is_permit_officer(user, a.municipality)
    if actor == "applicant":
        return applies(user, a)
    return actor == "editor" and is_case_party(user, a)


def check_case_actor(user: User | None, a: CaseAccess, actor: str, what: str) -> User:
    """Refuse a step on a case unless the user is its `actor` ("applicant" or "authority")."""
    who = check_view_case(user, a)
    if acts_as(who, a, actor):
        return who
    whom = "the municipality's officer" if actor == "authority" else "the applicant"
    raise Forbidden(
        f"only {whom} may {what} (application {a.application_id})",
        application_id=a.application_id,
    )


def check_case_step(user: User | None, a: CaseAccess, state: str, new: str) -> User:
    """Refuse a step of a case from `state` to `new` unless the user is the one who takes it.

    The applicant reports the work started, and so may the municipality's officer (from a
    site visit: `AUTHORITY_MAY_ALSO`); 409 when there is no such step.
    """
    actor = app_states.who_moves(state, new)
    if new in app_states.AUTHORITY_MAY_ALSO and is_permit_officer(user, a.municipality):
        actor = "authority"
    return check_case_actor(user, a, actor, f"move it to {new!r}")


# Who may file which kinds: contractors file dig and area-use permits; applicants every kind
# (a homeowner digs for their own water or power connection, as `POST /excavations` allows).
FILERS: dict[str, frozenset[str]] = {
    "applicant": frozenset(app_states.KINDS),
    "contractor": frozenset({"excavation", "area_use"}),
    "admin": frozenset(app_states.KINDS),
}


def check_may_file(user: User | None, kind: str) -> User:
    """Refuse to create an application of a kind the user's role does not file (401/403)."""
    who = require_user(user)
    if kind not in FILERS.get(who.role, frozenset()):
        raise Forbidden(
            f"a{'n' if who.role[0] in 'aeiou' else ''} {who.role} does not file {kind!r} applications"
        )
    return who
