"""Sign-in documents: the token answer and the signed-in user."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class TokenOut(BaseModel):
    """An OAuth2 bearer token (RFC 6749 5.1); send it as `Authorization: Bearer <token>`."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
    expires_at: dt.datetime
    role: str
    municipality: str | None = None


class Me(BaseModel):
    """The signed-in user, for the UI: e-mail, role, an officer's municipality."""

    email: str
    role: str
    municipality: str | None = None
    municipality_name: str | None = None


class SignedOut(BaseModel):
    """The answer to sign-out: the token is revoked."""

    email: str
    signed_out: bool = True
