"""One structured log line per request, a request id on every response, Prometheus metrics.

The log line names the method, the route template (never the concrete path: it may hold a
property id), the status, the duration, the request id and the signed-in user's id; never
a query string, a body or a name.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from fastapi import FastAPI, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http import reads
from api.settings import Settings

log = logging.getLogger("rajapiste.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

REQUESTS = Counter(
    "rajapiste_requests_total",
    "HTTP requests by route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "rajapiste_request_duration_seconds",
    "HTTP request duration by route template",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
POOL = Gauge("rajapiste_db_pool_connections", "Database pool connections by state", ["state"])


def route_of(scope: Scope) -> str:
    """The route template of a request ('unmatched' when no route took it)."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path is None:
        return "unmatched"
    return str(path) if not scope.get("root_path") else str(scope["root_path"]) + str(path)


def request_id(scope: Scope) -> str:
    """The caller's X-Request-ID when it is a safe token, else a new one."""
    for k, v in scope.get("headers", []):
        if k == b"x-request-id":
            text: str = v.decode("latin-1")
            if _SAFE_ID.match(text):
                return text
    return uuid.uuid4().hex


class Observe:
    """Give each request an id, then log it and count it when its response starts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app, adding X-Request-ID and recording the outcome."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(scope)
        start = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                extra = [(b"x-request-id", rid.encode()), *reads.database_header(scope)]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, rid, status, time.perf_counter() - start)

    def _record(self, scope: Scope, rid: str, status: int, seconds: float) -> None:
        method, route = scope.get("method", ""), route_of(scope)
        REQUESTS.labels(method, route, str(status)).inc()
        LATENCY.labels(method, route).observe(seconds)
        if not log.isEnabledFor(logging.INFO):  # the line would not be written: not built either
            return
        line = {
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "request_id": rid,
            "user_id": (scope.get("state") or {}).get("user_id"),
        }
        log.info(json.dumps(line))


def metrics(request: Request) -> Response:
    """Prometheus metrics: requests and latency per route, database pool use."""
    pool = request.app.state.engine.pool
    POOL.labels("checked_out").set(pool.checkedout())
    POOL.labels("idle").set(pool.checkedin())
    POOL.labels("overflow").set(max(0, pool.overflow()))
    POOL.labels("size").set(pool.size())
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def install(app: FastAPI, settings: Settings) -> None:
    """Add the request log and id (outermost middleware) and the /metrics endpoint."""
    app.add_middleware(Observe)
    if settings.access_log and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    app.add_api_route("/metrics", metrics, include_in_schema=False)
