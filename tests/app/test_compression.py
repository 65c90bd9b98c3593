"""Answers travel compressed to clients that accept gzip (event streams do not); pages
revalidate and the assets they name, versioned, are kept for a year."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from app.main import COMPRESS_FROM_BYTES
from app.routers.pages import STATIC_PREFIX, static_version


def test_json_static_files_and_pages_are_gzipped(client: TestClient) -> None:
    gz = {"accept-encoding": "gzip"}
    for path in ("/api/v1/presets", "/", "/static/js/main.js", "/static/css/app.css"):
        response = client.get(path, headers=gz)
        assert response.status_code == 200, path
        assert response.headers["content-encoding"] == "gzip", path
        assert "accept-encoding" in response.headers["vary"].lower(), path
    plain = client.get("/api/v1/presets", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert client.get("/api/v1/presets", headers=gz).json() == plain.json()


def test_small_answers_are_sent_as_they_are(client: TestClient) -> None:
    response = client.get("/healthz", headers={"accept-encoding": "gzip"})
    assert len(response.content) < COMPRESS_FROM_BYTES
    assert "content-encoding" not in response.headers


def test_the_compressed_bytes_are_smaller(live_server: str) -> None:
    with httpx.Client(base_url=live_server) as http:
        sid = http.post("/api/v1/sessions", json={"preset": "spiral"}).json()["id"]
        request = http.build_request("GET", f"/api/v1/sessions/{sid}")
        request.headers["accept-encoding"] = "gzip"
        response = http.send(request, stream=True)
        compressed = b"".join(response.iter_raw())
        response.close()
        assert response.headers["content-encoding"] == "gzip"
        whole = gzip.decompress(compressed)
        assert len(compressed) < 0.5 * len(whole)


def test_event_streams_are_not_compressed(live_server: str) -> None:
    with httpx.Client(base_url=live_server) as http:
        sid = http.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]
        code = http.post(f"/api/v1/sessions/{sid}/class").json()["code"]
        headers = {"accept-encoding": "gzip"}
        with http.stream("GET", f"/api/v1/classes/{code}/events", headers=headers) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            assert "content-encoding" not in stream.headers


def test_pages_revalidate_and_their_assets_are_immutable(client: TestClient) -> None:
    page = client.get("/")
    assert page.headers["cache-control"] == "no-cache"
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
    assert len(assets) >= 5
    for url in assets:
        assert url.startswith(STATIC_PREFIX + "/"), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert f'"katex":"{STATIC_PREFIX}/vendor/' in page.text  # the import map too
    plain = client.get("/static/js/main.js")  # unversioned: asked again on every use
    assert plain.headers["cache-control"] == "no-cache"
    again = client.get("/static/js/main.js", headers={"if-none-match": plain.headers["etag"]})
    assert again.status_code == 304


def test_the_version_follows_the_files(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text("one")
    first = static_version(tmp_path)
    assert first == static_version(tmp_path)
    (tmp_path / "a.js").write_text("two")
    assert static_version(tmp_path) != first
