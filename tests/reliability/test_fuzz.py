"""Schemathesis over every operation of the OpenAPI document, against the real app and
database: no server error, responses as documented. A bounded number of examples each."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.settings import get_settings
from api.storage.engine import make_engine

EXAMPLES = 6


# Built at collection; its engine connects on first use, after the session's fixtures have
# made the test database (the test asks for them), and is set here as the lifespan would.
APP = create_app(get_settings())
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def opened(demo: Any, users: Any) -> Iterator[None]:
    APP.state.settings = get_settings()
    APP.state.engine = make_engine(APP.state.settings, service=True)
    yield
    APP.state.engine.dispose()


@pytest.fixture(scope="module")
def admin_token(engine: Any, users: dict[str, Any]) -> str:
    """A token of the admin's own for the fuzzing: it calls sign-out too, which revokes the
    token it is called with, and the session's shared admin token must outlive it."""
    from api.services import accounts

    with engine.connect() as conn:
        return accounts.issue_token(conn, get_settings(), users["admin"]).token


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api(case: Any, admin_token: str) -> None:
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    case.headers = {**headers, "Authorization": f"Bearer {admin_token}"}
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )
