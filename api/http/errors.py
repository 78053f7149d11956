"""One exception tree, one status map, one handler rendering application/problem+json."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from api.schemas.problem import PROBLEM
from geo.errors import Conflict, DomainError, InvalidInput, NotFound

STATUS: list[tuple[type[DomainError], int]] = [
    (NotFound, 404),
    (Conflict, 409),
    (InvalidInput, 422),
    (DomainError, 400),
]


def status_of(exc: DomainError) -> int:
    """Return the HTTP status of a domain error."""
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 400  # pragma: no cover


def problem(status: int, title: str, detail: str, instance: str, **extra: Any) -> JSONResponse:
    """Render an RFC 9457 problem document."""
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        **{k: v for k, v in extra.items() if v is not None},
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def install(app: FastAPI) -> None:
    """Install the handlers that turn errors into problem documents."""

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem(
            status_of(exc), exc.code, exc.message, request.url.path, code=exc.code, **exc.detail
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", [])), "msg": e.get("msg"), "type": e.get("type")}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in errors)
        return problem(
            422, "invalid_request", detail, request.url.path, code="invalid_request", errors=errors
        )
