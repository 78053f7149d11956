"""What one request may cost, refused before any work is done.

- A JSON body is measured before it is parsed: nesting depth, coordinate positions
  (vertices) and rings or lines (parts), and NUL characters or halves of surrogate pairs in
  its strings (PostgreSQL text cannot hold them). Each over its limit is a 422 naming the
  count and the limit; a body that is not UTF-8 is a 422 too.
- A query string with a NUL character is a 422 too.
- Expensive endpoints are rate-limited per client (its token, else its address; a token
  bucket): 429 with Retry-After. Requests with a token also share a larger bucket of their
  address, so that a token made up for each request buys no more than that. Map layers and
  tiles are not: their bbox span and feature limits bound them. With several workers the
  buckets live in a file they all map (`worker_state_file`, made by `rajapiste serve`), so a
  client has one budget.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import re
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from api.http import bodies
from api.http.errors import problem
from api.http.shared import SharedSlots
from api.settings import Settings

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]", re.IGNORECASE)
_POSITION = re.compile(rb"\[\s*-?[\d.]")
_RING = re.compile(rb"\[\s*\[\s*-?[\d.]")
_NOT_BRACKET = bytes(c for c in range(256) if c not in b"[]{}")  # deleted before counting
_STEP = bytes.maketrans(b"[{]}", bytes([1, 1, 255, 255]))  # an opening +1, a closing -1 (int8)

# The endpoints whose cost grows with the input or the area: "METHOD path" patterns.
EXPENSIVE = re.compile(
    r"^(POST /api/v1/neighbours|GET /api/v1/parcels/[^/]+/neighbours(\.csv)?"
    r"|POST /api/v1/analysis/.*|POST /api/v1/hearing/.*|POST /api/v1/excavations(/check)?"
    r"|PUT /api/v1/excavations/\d+|GET /api/v1/excavations/\d+/check)$"
)


def json_shape(body: bytes) -> tuple[int, int, int, bool]:
    """Nesting depth, coordinate positions, rings/lines, and whether a string holds a NUL."""
    has_nul = b"\\u" in body and any(
        _NUL.search(m.group()) for m in _STRING.finditer(body) if b"\\u" in m.group()
    )
    bare = _STRING.sub(b'""', body)
    steps = np.frombuffer(bare.translate(None, _NOT_BRACKET).translate(_STEP), dtype=np.int8)
    depth = int(np.cumsum(steps, dtype=np.int64).max()) if steps.size else 0
    return depth, len(_POSITION.findall(bare)), len(_RING.findall(bare)), has_nul


def lone_surrogate(body: bytes) -> bool:
    """Whether a string of the JSON body holds half of a UTF-16 surrogate pair.

    JSON may escape one (backslash-u D800); no text can be encoded with it again (PostgreSQL,
    the response), so it is refused up front. Escapes are read by decoding each string that
    has one; a pair (an emoji) is text. (Raw ones are not UTF-8: `shape_problem` refuses them.)
    """
    for m in _STRING.finditer(body):
        if _SURROGATE_ESCAPE.search(m.group()):
            try:
                json.loads(m.group()).encode("utf-8")
            except UnicodeEncodeError:
                return True
            except ValueError:  # not a JSON string: the parser will say so
                continue
    return False


def shape_problem(body: bytes, settings: Settings) -> tuple[str, str] | None:
    """The code and detail of the first limit a JSON body breaks, or None."""
    try:  # what is measured below is UTF-8 (RFC 8259); Python's parser reads UTF-16 and 32 too
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return "invalid_text", f"the JSON body is not UTF-8 text (byte {exc.start:,})"
    depth, positions, rings, has_nul = json_shape(body)
    if depth > settings.max_nesting:
        return "too_deep", f"the JSON nests {depth} levels deep; at most {settings.max_nesting}"
    if positions > settings.max_vertices:
        return (
            "too_many_vertices",
            f"the request has {positions:,} coordinate positions; at most "
            f"{settings.max_vertices:,} (simplify the drawing)",
        )
    if rings > settings.max_parts:
        return (
            "too_many_parts",
            f"the request has {rings:,} polygon rings or lines; at most {settings.max_parts:,}",
        )
    if has_nul:
        return "invalid_text", "text may not contain NUL (0x00) characters"
    if b"\\u" in body and lone_surrogate(body):
        return "invalid_text", "text may not contain half of a UTF-16 surrogate pair"
    return None


@dataclass
class Bucket:
    """A client's tokens and when they were last counted."""

    tokens: float
    at: float


def refill(b: Bucket, now: float, rate: float, burst: float) -> int:
    """Refill `b` to `now` and take a token: 0 when granted, else the seconds to wait."""
    b.tokens = min(burst, b.tokens + max(0.0, now - b.at) * rate)
    b.at = now
    if b.tokens >= 1:
        b.tokens -= 1
        return 0
    return max(1, math.ceil((1 - b.tokens) / rate))


class RateLimiter:
    """Token buckets per client: `per_minute` refilled, at most `burst` at once."""

    def __init__(self, per_minute: int, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.buckets: dict[str, Bucket] = {}

    def take(self, client: str, now: float | None = None) -> int:
        """Take a token for `client`: 0 when granted, else the seconds to wait."""
        now = time.monotonic() if now is None else now
        if len(self.buckets) > 10_000:  # forget clients whose buckets are full again
            self.buckets = {
                k: b for k, b in self.buckets.items() if b.tokens + (now - b.at) * self.rate < 1
            }
        b = self.buckets.setdefault(client, Bucket(self.burst, now))
        return refill(b, now, self.rate, self.burst)


class SharedRateLimiter(RateLimiter):
    """The same buckets in the file every serving process maps (api/http/shared.py)."""

    def __init__(self, per_minute: int, burst: int, path: Path) -> None:
        super().__init__(per_minute, burst)
        self.slots = SharedSlots(path, "rate_limit")

    def take(self, client: str, now: float | None = None) -> int:
        """Take a token for `client` from the shared file: 0 when granted, else seconds to wait."""
        t = time.monotonic() if now is None else now

        def change(tokens: float, when: float) -> tuple[float, float, int]:
            b = Bucket(tokens, when) if when else Bucket(self.burst, t)  # 0: never used
            wait = refill(b, t, self.rate, self.burst)
            return b.tokens, b.at, wait

        return self.slots.update(client, change)


def limiter(settings: Settings, factor: int = 1) -> RateLimiter:
    """The rate limiter the settings ask for (`factor` times their budget): shared or in process."""
    per_minute = settings.rate_limit_per_minute * factor
    burst = settings.rate_limit_burst * factor
    if settings.worker_state_file:
        return SharedRateLimiter(per_minute, burst, settings.worker_state_file)
    return RateLimiter(per_minute, burst)


def _address(scope: Scope) -> str:
    return str((scope.get("client") or ("unknown", 0))[0])


def client_key(scope: Scope) -> str:
    """Who a request is from: its bearer token (hashed), else its address."""
    for k, v in scope.get("headers", []):
        if k == b"authorization":
            return hashlib.sha256(v).hexdigest()
    return _address(scope)


def _expensive(scope: Scope) -> bool:
    return EXPENSIVE.match(f"{scope.get('method', '')} {scope.get('path', '')}") is not None


def _is_json(scope: Scope) -> bool:
    for k, v in scope.get("headers", []):
        if k == b"content-type":
            return b"json" in v.lower()
    return False


def _uses_database(scope: Scope) -> bool:
    path: str = scope.get("path", "")
    return path.startswith(("/api/", "/ogc")) and path != "/api/v1/health/live"


class RequestLimits:
    """Refuse requests over the limits (see the module's docstring) before the app sees them.

    Requests that use the database also wait here, asynchronously, for one of as many
    places as the pools have connections: a worker thread is taken only with a connection
    free, so threads waiting for connections can never hold up the requests that have one.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.limiter = limiter(settings)
        self.address_limiter = limiter(settings, settings.rate_limit_address_factor)
        self.places = 2 * settings.pool_size * (1 + len(settings.read_url_list()))
        # one semaphore per event loop (test clients run several loops over one app)
        self.gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )
        # Map tiles come a screenful at a time (dozens at once after a zoom): they may hold at
        # most half the places, so a live check or analysis never queues behind all of them.
        self.tile_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    async def _gated(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app once a database place is free; 503 after queue_timeout_s."""
        if not _uses_database(scope):
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        gate = self.gates.setdefault(loop, asyncio.Semaphore(self.places))
        tiles = None
        if str(scope.get("path", "")).startswith("/api/v1/tiles/"):
            tiles = self.tile_gates.setdefault(loop, asyncio.Semaphore(max(1, self.places // 2)))
        try:
            async with asyncio.timeout(self.settings.queue_timeout_s):
                if tiles is not None:
                    await tiles.acquire()
                try:
                    await gate.acquire()
                except BaseException:
                    if tiles is not None:
                        tiles.release()
                    raise
        except TimeoutError:
            detail = "all database connections are in use: try again shortly"
            retry = {"Retry-After": str(self.settings.retry_after_s)}
            return await self._refuse(scope, receive, send, 503, "busy", detail, retry)
        try:
            await self.app(scope, receive, send)
        finally:
            gate.release()
            if tiles is not None:
                tiles.release()

    async def _refuse(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        status: int,
        code: str,
        detail: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        response = problem(status, code, detail, scope.get("path", ""), headers, code=code)
        await response(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the query string, the rate and the JSON body; then run the app."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope.get("path", ""):
            detail = "text may not contain NUL (0x00) characters"
            return await self._refuse(scope, receive, send, 422, "invalid_text", detail)
        if _expensive(scope) and not (scope.get("state") or {}).get("primary_only"):
            # (a read run again on the primary after a replica failed it was counted once)
            key, address = client_key(scope), _address(scope)
            wait = self.limiter.take(key)
            if not wait and key != address:  # a token: its address's bucket as well
                wait = self.address_limiter.take("signed-in from " + address)
            if wait:
                detail = f"too many requests to costly endpoints: try again in {wait} s"
                headers = {"Retry-After": str(wait)}
                return await self._refuse(
                    scope, receive, send, 429, "rate_limited", detail, headers
                )
        if scope.get("method") not in ("POST", "PUT", "PATCH") or not _is_json(scope):
            await self._gated(scope, receive, send)
            return
        body, messages = await bodies.read_all(receive)
        found = shape_problem(body, self.settings)
        if found:
            return await self._refuse(scope, receive, send, 422, *found)
        await self._gated(scope, bodies.replay(messages, receive), send)


def install(app: FastAPI, settings: Settings) -> None:
    """Add the request limits (call before `security.install`: they run inside its body limit)."""
    app.add_middleware(RequestLimits, settings=settings)
