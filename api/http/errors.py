"""One exception tree, one status map, one handler rendering application/problem+json."""

from __future__ import annotations

import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from api import i18n
from api.schemas.problem import PROBLEM, type_uri
from api.services.health import NotReady
from api.services.policy import Forbidden, NotSignedIn, TooManyAttempts
from geo.errors import Conflict, DomainError, InvalidInput, NotFound, VersionRequired

STATUS: list[tuple[type[DomainError], int]] = [
    (NotSignedIn, 401),
    (Forbidden, 403),
    (TooManyAttempts, 429),
    (NotReady, 503),
    (NotFound, 404),
    (Conflict, 409),
    (VersionRequired, 428),
    (InvalidInput, 422),
    (DomainError, 400),
]

HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
}


_RESERVED = frozenset(
    {"type", "title", "status", "detail", "detail_i18n", "instance", "code", "headers", "extra"}
)


def finite(value: Any) -> Any:
    """`value` with NaN and ±Infinity replaced by None (JSON cannot carry them), recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def status_of(exc: DomainError) -> int:
    """Return the HTTP status of a domain error."""
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 400  # pragma: no cover


def problem(
    status: int,
    title: str,
    detail: str,
    instance: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """Render an RFC 9457 problem document."""
    body = {
        "type": type_uri(str(extra.get("code") or title)),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        **{k: finite(v) for k, v in extra.items() if v is not None},
    }
    try:
        return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)
    except (TypeError, ValueError):  # an extra member JSON cannot carry: the core still goes out
        core = {k: body[k] for k in ("type", "title", "status", "detail", "instance")}
        return JSONResponse(core, status_code=status, media_type=PROBLEM, headers=headers)


def _headers(exc: DomainError) -> dict[str, str] | None:
    """A 401 says how to authenticate (RFC 9110 11.6.1); a 429 when to try again."""
    if isinstance(exc, NotSignedIn):
        error = ', error="invalid_token"' if exc.code == "invalid_token" else ""
        return {"WWW-Authenticate": f'Bearer realm="rajapiste"{error}'}
    if isinstance(exc, TooManyAttempts):
        return {"Retry-After": str(exc.retry_after_s)}
    if isinstance(exc, NotReady):
        return {"Retry-After": "30"}
    return None


def install(app: FastAPI) -> None:
    """Install the handlers that turn errors into problem documents."""

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem(
            status_of(exc),
            exc.code,
            i18n.error_detail(exc, request.query_params.get("lang"), request.headers),
            request.url.path,
            _headers(exc),
            code=exc.code,
            detail_i18n=i18n.error_details(exc),  # the page re-says it on a language switch
            # a detail named like a member of the document itself must not replace it
            **{k: v for k, v in exc.detail.items() if k not in _RESERVED},
        )

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        return problem(
            exc.status_code,
            code,
            str(exc.detail),
            request.url.path,
            dict(exc.headers or {}),
            code=code,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        # said in the request's language (`lang`, else Accept-Language); the fields' names stay
        lang = i18n.request_lang(request.query_params.get("lang"), request.headers)
        errors = [
            {
                "loc": list(e.get("loc", [])),
                "msg": i18n.validation_message(lang, e),
                "type": e.get("type"),
            }
            for e in exc.errors()
        ]

        def said(lang: str) -> str:  # the detail in a language (each of them, for a switch)
            return "; ".join(
                f"{'.'.join(str(x) for x in e.get('loc', []))}: {i18n.validation_message(lang, e)}"
                for e in exc.errors()
            )

        details = i18n.in_each_language(said)
        detail = details.get(lang) or said(lang)

        # Only where and why: never the input itself (it may be a password).
        return problem(
            422,
            "invalid_request",
            detail,
            request.url.path,
            code="invalid_request",
            errors=errors,
            detail_i18n=details,
        )
