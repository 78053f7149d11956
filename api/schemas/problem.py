"""The error document: RFC 9457 problem details, sent as application/problem+json."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PROBLEM = "application/problem+json"
# Each kind of problem has its own `type` URI (RFC 9457 3.1.1): this prefix and its code.
TYPE_BASE = "urn:rajapiste:problem:"
DESCRIPTIONS = {
    400: "Bad request: the body could not be read (not JSON, or a broken form)",
    401: "Not signed in",
    403: "Not allowed for this user",
    404: "Not found",
    409: "Conflict with the current state (or a stale version)",
    413: "Request too large",
    428: "The change must name the version it was made on (`version`, as last read)",
    429: "Too many requests: try again after Retry-After seconds",
    422: "Invalid input: the detail names the field, the reason and, for geometries, the location",
    503: "Service unavailable (database down or busy): try again after Retry-After seconds",
    504: "The database did not answer within the statement timeout",
}


def type_uri(code: str) -> str:
    """The `type` URI of a kind of problem: its code under the rajapiste namespace."""
    return TYPE_BASE + code


class Problem(BaseModel):
    """What went wrong: a title (the error code), the status, a clear detail and where."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    code: str | None = None
    detail_i18n: dict[str, str] | None = Field(
        default=None,
        description="the detail in fi, sv and en, where the server has it in each (a page says"
        " the error again in the language it switches to)",
    )


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for these error statuses (rendered as problem documents)."""
    return {s: {"description": DESCRIPTIONS.get(s, "Error")} for s in statuses}


# What any operation may answer besides its own: a body that is not JSON (400), one over the
# size or shape limits (413, 422), the rate limit (429), the database down, busy or too slow.
COMMON = (400, 422, 429, 503, 504)
COMMON_WITH_BODY = (413,)


def _add_common(method: str, op: dict[str, Any]) -> None:
    responses = op.setdefault("responses", {})
    statuses = COMMON + (COMMON_WITH_BODY if method in ("post", "put", "patch") else ())
    if op.get("security"):  # a bearer token that is unknown or expired: 401 anywhere
        statuses += (401,)
    for status in statuses:
        responses.setdefault(str(status), {"description": DESCRIPTIONS.get(status, "Error")})


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Make every 4xx/5xx response of an OpenAPI document an application/problem+json Problem."""
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema()
    for ops in schema.get("paths", {}).values():
        for method, op in ops.items():
            _add_common(method, op)
            for status, resp in op.get("responses", {}).items():
                if str(status)[0] in "45":
                    resp["content"] = {
                        PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}
                    }
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return schema
