"""The OpenID Connect seam: where a municipality's identity provider plugs in (not wired yet).

A provider turns a browser's sign-in at the municipality (Suomi.fi, Entra ID, ...) into an
`ExternalIdentity`; `sign_in_external` maps that identity to a local account by e-mail and
issues the same opaque token a password sign-in gives, so roles, the owner-privacy rules and
the audit trail work unchanged. Wiring a real provider means implementing `IdentityProvider`
(discovery, the authorization-code flow with PKCE, ID-token validation) and two routes that
call it; the settings below already exist.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection

from api.services import accounts
from api.services.accounts import InvalidCredentials, Issued
from api.services.policy import User
from api.settings import Settings
from api.storage.engine import fetch_all


@dataclass(frozen=True, slots=True)
class ExternalIdentity:
    """Who the provider says signed in: its issuer, their subject and verified e-mail."""

    issuer: str
    subject: str
    email: str
    email_verified: bool


class IdentityProvider(Protocol):
    """What an OpenID Connect provider must offer the service."""

    issuer: str

    def authorization_url(self, state: str, nonce: str, code_challenge: str) -> str:
        """Where to send the browser to sign in."""
        ...

    def identity(self, code: str, code_verifier: str, nonce: str) -> ExternalIdentity:
        """Exchange the callback's code for the signed-in identity (ID token validated)."""
        ...


@dataclass(frozen=True, slots=True)
class OidcConfig:
    """The configured provider: RAJAPISTE_OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET, _REDIRECT_URI."""

    issuer: str
    client_id: str
    redirect_uri: str

    @property
    def discovery_url(self) -> str:
        """The provider's metadata document (OpenID Connect Discovery 1.0)."""
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    def authorization_query(self, state: str, nonce: str, code_challenge: str) -> str:
        """The query of an authorization-code request with PKCE."""
        return urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": "openid email",
                "state": state,
                "nonce": nonce,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            }
        )


def configured(settings: Settings) -> OidcConfig | None:
    """The OpenID Connect settings, or None when no provider is configured."""
    if not (settings.oidc_issuer and settings.oidc_client_id and settings.oidc_redirect_uri):
        return None
    return OidcConfig(settings.oidc_issuer, settings.oidc_client_id, settings.oidc_redirect_uri)


def sign_in_external(conn: Connection, settings: Settings, who: ExternalIdentity) -> Issued:
    """Issue a token for an identity a provider vouched for: an enabled local account, same e-mail.

    Accounts are not created on the fly: an admin adds them (`rajapiste user add`) with the
    role and municipality, so a provider cannot grant anyone owner data by itself.
    """
    config = configured(settings)
    if config is None or who.issuer.rstrip("/") != config.issuer.rstrip("/"):
        raise InvalidCredentials("this identity provider is not configured")
    if not who.email_verified:
        raise InvalidCredentials("the provider has not verified this e-mail address")
    rows = fetch_all(conn, "user_by_email", email=accounts.normalise_email(who.email))
    if not rows or rows[0]["disabled"]:
        raise InvalidCredentials("no enabled account for this identity")
    r = rows[0]
    user = User(r["id"], r["email"], r["role"], r["municipality"])
    return accounts.issue_token(conn, settings, user)
