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


class OutsideData(InvalidInput):
    """A site or dig area where no parcel data is loaded: nothing can be checked (HTTP 422)."""

    code = "outside_data"
