"""Every test under tests/e2e drives a real browser: it carries the e2e marker, so
`-m "not e2e"` runs everything else (a file there cannot forget the marker)."""

from __future__ import annotations

from pathlib import Path

import pytest

E2E = Path(__file__).parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(E2E):
            item.add_marker(pytest.mark.e2e)
