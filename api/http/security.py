"""Safe defaults on every response: security headers, a body size limit, CORS only when configured.

The map's policy allows only the app's own scripts, styles and data (no inline script, no
eval); the few pages that must run inline scripts (the hearing package's folium map, the
API docs) send their own policy naming exactly those scripts by SHA-256 (`csp.py`).
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.schemas.problem import PROBLEM, type_uri
from api.settings import Settings

log = logging.getLogger("rajapiste.http")

HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), payment=(), usb=()",
}


def tile_source(url: str | None) -> str:
    """The CSP source of a background map's tile URL ('https://{s}.tile.x/…' → 'https://*.tile.x')."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.netloc.replace("{s}.", "*.")
    return f"{parts.scheme}://{host}" if "{" not in host else ""


def app_policy(settings: Settings) -> str:
    """The Content-Security-Policy of the map and the API: the app's own assets only."""
    tiles = tile_source(settings.basemap_url)
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data: blob: {tiles}".rstrip(),
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


class SecurityHeaders:
    """Add the security headers to every response (a response's own CSP is kept).

    An unexpected error becomes a 500 problem document with the same headers, logged here,
    instead of the server's bare text page.
    """

    def __init__(self, app: ASGIApp, policy: str) -> None:
        self.app = app
        self.headers = [(k.encode(), v.encode()) for k, v in HEADERS.items()]
        self.policy = policy.encode()

    def _add(self, message: Message, path: str) -> None:
        headers = list(message.get("headers", []))
        have = {k.lower() for k, _ in headers}
        headers += [(k, v) for k, v in self.headers if k not in have]
        if b"content-security-policy" not in have:
            headers.append((b"content-security-policy", self.policy))
        if path.startswith("/api/") and b"cache-control" not in have:
            headers.append((b"cache-control", b"no-store"))  # tokens and personal data
        message["headers"] = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app, adding the headers to its response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                self._add(message, scope.get("path", ""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unhandled error in %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            await send_problem(send_with_headers, scope, 500, "internal_error", "internal error")


class BodyTooLarge(HTTPException):
    """A request body over the limit, found while reading one sent without Content-Length.

    An HTTPException, so that FastAPI's body parsing passes it on as a 413 (it turns other
    errors while reading into 400).
    """

    def __init__(self, detail: str) -> None:
        super().__init__(413, detail)


async def send_problem(send: Send, scope: Scope, status: int, code: str, detail: str) -> None:
    """Send a problem document straight from a middleware."""
    doc = {"type": type_uri(code), "title": code, "status": status, "detail": detail}
    body = json.dumps({**doc, "instance": scope.get("path"), "code": code}).encode()
    headers = [(b"content-type", PROBLEM.encode()), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse request bodies over `max_bytes` with 413, by Content-Length or while reading."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _declared(self, scope: Scope) -> int | None:
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    return int(v)
                except ValueError:
                    return None
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the declared size, then count what is read."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        detail = f"the request body is larger than {self.max_bytes:,} bytes"
        declared = self._declared(scope)
        if declared is not None and declared > self.max_bytes:
            await send_problem(send, scope, 413, "request_too_large", detail)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise BodyTooLarge(detail)
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await send_problem(send, scope, 413, "request_too_large", detail)


def install(app: FastAPI, settings: Settings) -> None:
    """Add the middlewares: CORS (only when origins are configured), body limit, headers."""
    origins = settings.cors_origin_list()
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            allow_credentials=False,  # bearer tokens, no cookies
            max_age=600,
        )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders, policy=app_policy(settings))
