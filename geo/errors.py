"""Domain errors. They carry no HTTP: `api.errors` maps them to status codes."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error the service reports to a user."""

    code = "domain_error"

    def __init__(self, message: str, *, i18n: dict[str, Any] | None = None, **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        # The message as a catalogue key with its fields, for users of other languages
        # (api/locale); `message` stays the English text.
        self.i18n = i18n


class InvalidInput(DomainError):
    """Input that can never be accepted as given (HTTP 422)."""

    code = "invalid_input"


class InvalidPropertyId(InvalidInput):
    """A property id in none of the accepted forms."""

    code = "invalid_property_id"


class InvalidGeometry(InvalidInput):
    """A geometry that is empty, invalid, out of range or too large."""

    code = "invalid_geometry"


class NotFound(DomainError):
    """A thing that is well-formed but not in the data (HTTP 404)."""

    code = "not_found"


class Conflict(DomainError):
    """A state change that the current state does not allow (HTTP 409)."""

    code = "conflict"


class StaleVersion(Conflict):
    """A write based on a version that is no longer the current one (HTTP 409)."""

    code = "stale_version"


class VersionRequired(DomainError):
    """A change to a stored object that does not say which version it was made on (HTTP 428).

    Without the version a writer read, a change made on an old copy would silently undo
    someone else's (a lost update): every change names it, and a stale one is a 409.
    """

    code = "version_required"


def check_version(sent: int | None, current: int, what: str, **detail: Any) -> None:
    """The optimistic lock of every stored object: 428 without a version, 409 for a stale one.

    `what` names the object ("application 5"); `detail` goes into the problem document (the
    409 also carries the version sent and the current one, unless `detail` says otherwise).
    """
    if sent is None:
        raise VersionRequired(
            f"send the version of {what} you read (`version`) with the change", **detail
        )
    if sent != current:
        raise StaleVersion(
            f"{what} was changed meanwhile: you sent version {sent}, it is now version {current};"
            " reload it and try again",
            **{"version": sent, "current_version": current, **detail},
        )


class OutsideData(InvalidInput):
    """A site or dig area where no parcel data is loaded: nothing can be checked (HTTP 422)."""

    code = "outside_data"
