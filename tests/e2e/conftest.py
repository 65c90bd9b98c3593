"""Browser-test fixtures: a real uvicorn server on a free port and Debian's Chromium.

Chromium comes from Debian's package (Playwright's own browser download does
not work here). Without it the tests skip with a reason, except in CI (the
CI variable is set), where a missing browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.chromium import CHROMIUM_ARGS, chromium_path
from tests.e2e.helpers import ARTIFACTS, Lens
from tests.servers import AppProcess


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """A real uvicorn serving app.main:app, for the whole session (its output in uvicorn.log)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        process = AppProcess(log=ARTIFACTS / "uvicorn.log").start()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield process.url
    finally:
        process.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        reason = "Chromium is not installed (apt-get install chromium); browser tests need it"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}, and CI must not skip them")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def api(base_url: str) -> Iterator[httpx.Client]:
    """The test's own client for the same server: the numbers the page must show."""
    with httpx.Client(base_url=f"{base_url}/api/v1", timeout=10) as client:
        yield client


@pytest.fixture
def lens(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[Lens]:
    """The step page opened at 1280×720, ready, with its console collected."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=base_url)
    page = context.new_page()
    lens = Lens(page, name=request.node.name)
    try:
        lens.open()
        yield lens
    finally:
        context.close()
