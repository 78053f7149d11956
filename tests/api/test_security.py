"""Safe defaults: security headers everywhere, strict CSP, CORS closed, body limit, 401 vs 403."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings

PROBLEM = "application/problem+json"
EVERYWHERE = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        out[name] = sources
    return out


@pytest.fixture(scope="module")
def small_app(settings: Settings, engine: Any) -> Iterator[TestClient]:
    """The app with a 2 kB body limit and one CORS origin configured."""
    from api.app import create_app

    configured = settings.model_copy(
        update={"max_body_bytes": 2048, "cors_origins": "https://kartta.kunta.example"}
    )
    with TestClient(create_app(configured)) as c:
        yield c


def test_headers_on_every_kind_of_response(client: Any, nls: Any) -> None:
    answers = [
        client.get("/"),
        client.get("/static/js/main.js"),
        client.get("/api/v1/health"),
        client.get("/api/v1/parcels/91-22-694-25/neighbours"),
        client.get("/api/v1/parcels/12-ab/neighbours"),  # 422
        client.get("/api/v1/no/such/thing"),  # 404
        client.get("/api/v1/audit"),  # 401
        client.post("/api/v1/hearing/package", json={"property_id": "91-22-694-25"}),
    ]
    assert [r.status_code for r in answers] == [200, 200, 200, 200, 422, 404, 401, 200]
    for r in answers:
        for name, value in EVERYWHERE.items():
            assert r.headers[name] == value, (r.url, name)
        policy = _directives(r.headers["content-security-policy"])
        assert policy["frame-ancestors"] == ["'none'"], r.url
        assert (
            "'unsafe-inline'" not in policy["script-src"]
            and "'unsafe-eval'" not in policy["script-src"]
        )
    for r in answers[4:7]:
        assert r.headers["content-type"].startswith(PROBLEM), r.url
    assert answers[2].headers["cache-control"] == "no-store"


def test_the_maps_policy_allows_only_its_own_assets(client: Any) -> None:
    policy = _directives(client.get("/").headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["connect-src"] == ["'self'"]
    page = client.get("/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # no inline script in the page
    assert " style=" not in page and "<style" not in page


def test_the_package_policy_names_exactly_its_inline_scripts(officer_client: Any, nls: Any) -> None:
    """Hashes computed here by regex over the page and its srcdoc frame, not by the app's parser."""
    r = officer_client.post("/api/v1/hearing/package", json={"property_id": "91-22-694-25"})
    assert r.status_code == 200
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', r.text).group(1))  # type: ignore[union-attr]

    def hashes(tag: str) -> set[str]:
        found = re.findall(rf"<{tag}(?![^>]*\bsrc=)[^>]*>(.*?)</{tag}>", r.text + srcdoc, re.S)
        digest = (hashlib.sha256(body.encode()).digest() for body in found)
        return {f"'sha256-{base64.b64encode(d).decode()}'" for d in digest}

    policy = _directives(r.headers["content-security-policy"])
    scripts, styles = hashes("script"), hashes("style")
    assert len(scripts) >= 2 and len(styles) >= 1
    assert set(policy["script-src"]) == {"'self'"} | scripts
    assert set(policy["style-src"]) == {"'self'"} | styles
    assert policy["default-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_the_api_docs_run_under_their_own_policy(client: Any) -> None:
    r = client.get("/docs")
    assert r.status_code == 200 and "swagger-ui" in r.text
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", r.text, re.S)
    wanted = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in inline
    }
    policy = _directives(r.headers["content-security-policy"])
    assert wanted and wanted <= set(policy["script-src"])
    # Offline: every asset comes from the app itself, and the policy names no other host.
    assets = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert assets and all(a.startswith("/static/vendor/swagger-ui/") for a in assets), assets
    assert not any("http" in s for d in policy.values() for s in d)
    for a in assets:
        assert client.get(a).status_code == 200, a


def test_cors_is_closed_unless_configured(client: Any, small_app: TestClient) -> None:
    preflight = {
        "Origin": "https://evil.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization",
    }
    for c in (client, small_app):
        r = c.options("/api/v1/neighbours", headers=preflight)
        assert "access-control-allow-origin" not in r.headers
        r = c.get("/api/v1/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers
    ok = small_app.options(
        "/api/v1/neighbours", headers={**preflight, "Origin": "https://kartta.kunta.example"}
    )
    assert ok.headers["access-control-allow-origin"] == "https://kartta.kunta.example"
    assert "access-control-allow-credentials" not in ok.headers


def test_request_body_limit_is_413_problem(small_app: TestClient) -> None:
    big = b'{"site": "' + b"x" * 4000 + b'"}'
    declared = small_app.post(
        "/api/v1/neighbours", content=big, headers={"content-type": "application/json"}
    )

    def chunks() -> Iterator[bytes]:
        for i in range(0, len(big), 500):
            yield big[i : i + 500]

    streamed = small_app.post(  # no Content-Length: counted while read
        "/api/v1/neighbours", content=chunks(), headers={"content-type": "application/json"}
    )
    for r in (declared, streamed):
        assert r.status_code == 413 and r.headers["content-type"].startswith(PROBLEM)
        assert "2,048 bytes" in r.json()["detail"] and r.headers["x-frame-options"] == "DENY"
    fine = small_app.post("/api/v1/neighbours", json={"crs": "EPSG:4326"})
    assert fine.status_code == 422  # small enough to be read (and refused for what it says)


def test_401_and_403_are_told_apart(client: Any, officer_client: Any) -> None:
    anonymous = client.get("/api/v1/audit")
    assert anonymous.status_code == 401 and anonymous.headers["content-type"].startswith(PROBLEM)
    assert anonymous.headers["www-authenticate"] == 'Bearer realm="rajapiste"'
    officer = officer_client.get("/api/v1/audit")
    assert officer.status_code == 403 and officer.headers["content-type"].startswith(PROBLEM)
    assert "www-authenticate" not in officer.headers and officer.json()["code"] == "forbidden"
    forged = client.get("/api/v1/audit", headers={"Authorization": "Bearer forged-token"})
    assert forged.status_code == 401 and forged.json()["code"] == "invalid_token"


def test_a_forged_token_is_refused_before_the_work_on_one_hop_endpoints(client: Any) -> None:
    # The neighbour list and the site analysis resolve the caller inside their one thread hop
    # (deps.with_conn): a forged token is still 401, before the unit is even looked up (404).
    forged = {"Authorization": "Bearer forged-token"}
    listed = client.get("/api/v1/parcels/999-999-9999-9999/neighbours", headers=forged)
    assert listed.status_code == 401 and listed.json()["code"] == "invalid_token"
    assert client.get("/api/v1/parcels/999-999-9999-9999/neighbours").status_code == 404
    body = {"property_id": "999-999-9999-9999"}
    analysed = client.post("/api/v1/analysis/site", json=body, headers=forged)
    assert analysed.status_code == 401 and analysed.json()["code"] == "invalid_token"
    assert client.post("/api/v1/analysis/site", json=body).status_code == 404
