"""One structured log line per request (no personal data), X-Request-ID, Prometheus metrics."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest


def _lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "rajapiste.access"]


def test_one_log_line_per_request_without_personal_data(
    officer_client: Any, users: Any, demo: Any, caplog: pytest.LogCaptureFixture
) -> None:
    pid = "24400100200002"
    with caplog.at_level(logging.INFO, logger="rajapiste.access"):
        r = officer_client.get(
            f"/api/v1/parcels/{pid}/neighbours?kind=deviation",
            headers={"X-Request-ID": "trace-42"},
        )
        missing = officer_client.get("/api/v1/nothing-here")
    assert r.status_code == 200 and r.headers["x-request-id"] == "trace-42"
    assert len(missing.headers["x-request-id"]) == 32  # one made when none was sent
    first, second = _lines(caplog)
    assert first == {
        "method": "GET",
        "route": "/api/v1/parcels/{property_id}/neighbours",
        "status": 200,
        "duration_ms": first["duration_ms"],
        "request_id": "trace-42",
        "user_id": users["officer"].id,
    }
    assert second["route"] == "unmatched" and second["status"] == 404
    text = " ".join(rec.getMessage() for rec in caplog.records)
    assert pid not in text and "deviation" not in text  # no path values, no query strings
    names = [
        o["name"] for n in r.json()["neighbours"] for o in n.get("owners") or [] if o.get("name")
    ]
    assert names, "the officer sees owners: the check below must have something to find"
    assert not [name for name in names if name in text]


def test_an_unsafe_request_id_is_replaced(client: Any) -> None:
    r = client.get("/api/v1/health/live", headers={"X-Request-ID": "bad id\twith spaces"})
    assert r.headers["x-request-id"] != "bad id\twith spaces"


def test_metrics(client: Any) -> None:
    client.get("/api/v1/health/ready")
    body = client.get("/metrics").text
    assert (
        'rajapiste_requests_total{method="GET",route="/api/v1/health/ready",status="200"}' in body
    )
    assert 'rajapiste_request_duration_seconds_bucket{le="0.005",method="GET"' in body
    assert 'rajapiste_db_pool_connections{state="checked_out"}' in body
