"""HTTP matters: /docs offline, the CSP on HTML, CORS off by default, a real uvicorn."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient

from app.http.middleware import CSP
from app.main import create_app
from app.routers.docs import SWAGGER_UI_VERSION
from app.settings import Settings
from tests.app.helpers import worked_example


def test_docs_are_served_offline(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CSP
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources  # every asset is local
    for source in sources:
        assert source.startswith("/"), source
        assert client.get(source).status_code == 200, source
    assert f"swagger-ui-dist-{SWAGGER_UI_VERSION}/swagger-ui-bundle.js" in page.text
    assert "<script>" not in page.text  # no inline script: CSP 'self' holds
    assert client.get("/docs/init.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/redoc").status_code == 404


def test_openapi_documents_every_route_with_the_worked_example(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    assert sorted(paths) == [
        "/api/v1/backprop",
        "/api/v1/classes/{code}",
        "/api/v1/classes/{code}/answers",
        "/api/v1/classes/{code}/data",
        "/api/v1/classes/{code}/events",
        "/api/v1/classes/{code}/field",
        "/api/v1/classes/{code}/predictions",
        "/api/v1/classes/{code}/question",
        "/api/v1/classes/{code}/terms",
        "/api/v1/datasets",
        "/api/v1/datasets/csv",
        "/api/v1/exercises",
        "/api/v1/exercises/check",
        "/api/v1/gradcheck",
        "/api/v1/options",
        "/api/v1/presets",
        "/api/v1/sessions",
        "/api/v1/sessions/{session_id}",
        "/api/v1/sessions/{session_id}/check",
        "/api/v1/sessions/{session_id}/class",
        "/api/v1/sessions/{session_id}/class/qr.svg",
        "/api/v1/sessions/{session_id}/class/questions",
        "/api/v1/sessions/{session_id}/class/questions.csv",
        "/api/v1/sessions/{session_id}/class/questions/{question_id}",
        "/api/v1/sessions/{session_id}/class/questions/{question_id}/close",
        "/api/v1/sessions/{session_id}/class/questions/{question_id}/reveal",
        "/api/v1/sessions/{session_id}/class/questions/{question_id}/revote",
        "/api/v1/sessions/{session_id}/data",
        "/api/v1/sessions/{session_id}/export",
        "/api/v1/sessions/{session_id}/field",
        "/api/v1/sessions/{session_id}/predictions",
        "/api/v1/sessions/{session_id}/reset",
        "/api/v1/sessions/{session_id}/seek",
        "/api/v1/sessions/{session_id}/step",
        "/api/v1/sessions/{session_id}/terms",
        "/api/v1/sessions/{session_id}/train",
        "/api/v1/train",
        "/healthz",
    ]
    backprop = paths["/api/v1/backprop"]["post"]
    body = backprop["requestBody"]["content"]["application/json"]
    assert body["examples"]["worked_example"]["value"] == worked_example()
    example = backprop["responses"]["200"]["content"]["application/json"]["example"]
    assert example["cost"] == client.post("/api/v1/backprop", json=worked_example()).json()["cost"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_cors_is_off_by_default(client: TestClient) -> None:
    response = client.get("/healthz", headers={"origin": "http://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_origins_are_configurable() -> None:
    settings = Settings(cors_origins=["http://notebook.example"])
    with TestClient(create_app(settings)) as client:
        response = client.options(
            "/api/v1/backprop",
            headers={
                "origin": "http://notebook.example",
                "access-control-request-method": "POST",
            },
        )
        assert response.headers["access-control-allow-origin"] == "http://notebook.example"
        other = client.get("/healthz", headers={"origin": "http://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def test_a_real_uvicorn_server(live_server: str) -> None:
    with httpx.Client(base_url=live_server) as http:
        assert http.get("/healthz").json() == {"status": "ok"}
        trace = http.post("/api/v1/backprop", json=worked_example()).json()
        assert trace["cost"] == 0.2983711087600027
        too_large = http.post(
            "/api/v1/backprop",
            content=b" " * (4 * 1024 * 1024 + 1),
            headers={"content-type": "application/json"},
        )
        assert too_large.status_code == 413
        assert too_large.json()["error"]["code"] == "body_too_large"
        sid = http.post("/api/v1/sessions", json={"preset": "worked_example"}).json()["id"]
        state = http.post(f"/api/v1/sessions/{sid}/step", json={}).json()
        assert state["cursor"]["index"] == 1


def test_the_worksheet_page_names_its_seed_and_allows_only_this_origin(
    client: TestClient,
) -> None:
    page = client.get("/worksheet?seed=42")
    assert page.status_code == 200
    assert 'data-seed="42"' in page.text
    assert "problem 42" in page.text
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "/js/worksheet-main.js" in page.text
    assert 'data-seed="1"' in client.get("/worksheet").text  # a seed by default
    refused = client.get("/worksheet?seed=-1")
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "seed"
