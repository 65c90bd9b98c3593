"""/docs in a real browser: Swagger UI renders every route with no request leaving the app.

Uses Debian's Chromium through Playwright; skips without it, except in CI.
"""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlparse

import httpx
import pytest

pytestmark = pytest.mark.e2e

CHROMIUM = next(
    (p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium") if os.access(p, os.X_OK)),
    shutil.which("chromium"),
)
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip


def test_docs_render_offline_under_the_csp(live_server: str) -> None:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    hosts: set[str] = set()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.on(
                "console",
                lambda m: problems.append(m.text) if m.type == "error" else None,
            )
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
            page.goto(live_server + "/docs")
            page.wait_for_selector(".opblock", timeout=15_000)
            operations = page.locator(".opblock").count()
        finally:
            browser.close()
    paths = httpx.get(live_server + "/openapi.json").json()["paths"].values()
    assert operations == sum(len(methods) for methods in paths)  # every documented operation
    assert problems == []
    assert hosts == {urlparse(live_server).netloc}
