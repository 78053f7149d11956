"""The OpenAPI document shows every document the API sends, errors as application/problem+json."""

from __future__ import annotations

from typing import Any


def test_every_operation_documents_its_response_and_problems(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    assert "Problem" in spec["components"]["schemas"]
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            ok = next(v for k, v in op["responses"].items() if k.startswith("2"))
            content = ok.get("content", {})
            assert content, f"{method} {path} has no response document"
            schema = next(iter(content.values())).get("schema")
            assert schema or "geo+json" in str(content) or "text/html" in content, (
                f"{method} {path}"
            )
            for status, resp in op["responses"].items():
                if status[0] in "45":
                    assert list(resp["content"]) == ["application/problem+json"], (
                        f"{method} {path} {status}"
                    )


def test_a_422_is_sent_as_the_problem_it_is_documented_as(client: Any) -> None:
    r = client.post(
        "/api/v1/neighbours", json={"site": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}}
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "at least 4 positions" in r.json()["detail"]
