"""Sign-in, sign-out and who am I (OAuth2 password form; opaque bearer tokens)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from api import rulesets
from api.http.auth import TokenDep, UserDep
from api.http.deps import ConnDep, SettingsDep
from api.schemas.auth import Me, SignedOut, TokenOut
from api.schemas.problem import errors
from api.services import accounts
from api.services.policy import require_user

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
FormDep = Annotated[OAuth2PasswordRequestForm, Depends()]


@router.post("/token", responses=errors(401, 422, 429))
def token(form: FormDep, request: Request, conn: ConnDep, settings: SettingsDep) -> TokenOut:
    """Sign in with e-mail (`username`) and password; failures are throttled per account and address."""
    address = request.client.host if request.client else "unknown"
    issued = accounts.sign_in(conn, settings, form.username, form.password, address)
    return TokenOut(
        access_token=issued.token,
        expires_in=settings.token_ttl_minutes * 60,
        expires_at=issued.expires_at,
        role=issued.user.role,
        municipality=issued.user.municipality,
    )


@router.post("/logout", responses=errors(401))
def logout(user: UserDep, token: TokenDep, conn: ConnDep) -> SignedOut:
    """Sign out: the token is revoked at once."""
    who = require_user(user)
    if token:
        accounts.sign_out(conn, token)
    return SignedOut(email=who.email)


@router.get("/me", responses=errors(401))
def me(user: UserDep, settings: SettingsDep) -> Me:
    """The signed-in user: e-mail, role and an officer's municipality."""
    who = require_user(user)
    name = (
        rulesets.municipality_name(settings.rulesets_dir, who.municipality)
        if who.municipality
        else None
    )
    return Me(email=who.email, role=who.role, municipality=who.municipality, municipality_name=name)
