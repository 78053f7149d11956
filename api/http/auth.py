"""Who is calling: the bearer token of a request, resolved to a user (or anonymous).

Tokens travel in the `Authorization: Bearer` header, never in a cookie, so a page on another
site cannot make a browser send them (no CSRF). The one exception is the hearing package's
form post, which carries the token in its body (RFC 6750 2.2) for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from api.http.deps import ConnDep
from api.services import accounts
from api.services.policy import InvalidToken, User
from api.services.privacy import Caller

TOKEN_URL = "/api/v1/auth/token"
bearer = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


def resolve(conn: ConnDep, token: str | None) -> User | None:
    """The user of a token; None without one; 401 for a token that is not (or no longer) valid."""
    if not token:
        return None
    user = accounts.user_for_token(conn, token)
    if user is None:
        raise InvalidToken("the sign-in token is unknown or has expired: sign in again")
    return user


async def current_user(
    request: Request, conn: ConnDep, token: Annotated[str | None, Depends(bearer)]
) -> User | None:
    """The signed-in user of this request, or None for an anonymous caller.

    Async, so that an anonymous request costs no hop to a worker thread; a token is looked
    up in the database in one.
    """
    if not token:
        return None
    return await run_in_threadpool(signed_in, request, conn, token)


def signed_in(request: Request, conn: Connection, token: str | None) -> User | None:
    """The user of a token (`resolve`), noted on the request for its log line (observe.py)."""
    user = resolve(conn, token)
    if user is not None:
        request.state.user_id = user.id  # for the request's log line: no more
    return user


def endpoint_of(request: Request) -> str:
    """The endpoint as the audit trail names it: method and route template."""
    route = request.scope.get("route")
    return f"{request.method} {getattr(route, 'path', request.url.path)}"


UserDep = Annotated[User | None, Depends(current_user)]
TokenDep = Annotated[str | None, Depends(bearer)]


async def current_caller(request: Request, user: UserDep) -> Caller:
    """Who is calling and through which endpoint (for the privacy filter and the audit trail)."""
    return Caller(user, endpoint_of(request))


CallerDep = Annotated[Caller, Depends(current_caller)]


@dataclass(frozen=True)
class CallerToken:
    """A caller not yet looked up, for an endpoint that works in one hop (`deps.with_conn`).

    The endpoint resolves it first thing, on its own connection.
    """

    request: Request
    token: str | None

    def resolve(self, conn: Connection) -> Caller:
        """The caller, as `current_caller` gives it (401 for a token that is not valid)."""
        return Caller(signed_in(self.request, conn, self.token), endpoint_of(self.request))


async def caller_token(request: Request, token: TokenDep) -> CallerToken:
    """The request's bearer token, to be resolved with the endpoint's work."""
    return CallerToken(request, token)


CallerTokenDep = Annotated[CallerToken, Depends(caller_token)]
