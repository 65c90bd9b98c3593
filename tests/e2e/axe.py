"""axe-core in the page: the accessibility rules a browser test checks.

axe-core comes from npm (tests/package.json, installed by `npm ci --prefix tests`, which
`make test` and CI run). Without it the accessibility tests skip with the command to
run, except in CI (the CI variable is set), where a missing axe is a failure.
The page's Content-Security-Policy refuses injected scripts: a context that runs axe
is opened with bypass_csp=True, for these checks only.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

__all__ = ["AXE_JS", "RULES", "axe_source", "violations"]

AXE_JS = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, A and AA, and axe's best practices.
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

_RUN = """async (rules) => {
  const result = await axe.run(document, { runOnly: rules });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
  }));
}"""


def axe_source() -> str:
    """axe.min.js's text; skips the test (fails it in CI) when axe-core is not installed."""
    if not AXE_JS.is_file():
        reason = f"axe-core is not installed ({AXE_JS}); run `npm ci --prefix tests`"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}, and CI must not skip the accessibility tests")
        pytest.skip(reason)
    return AXE_JS.read_text(encoding="utf-8")


def violations(page: Any) -> list[dict[str, Any]]:
    """axe's violations of RULES on the page as it is now (axe injected if not yet)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    found: list[dict[str, Any]] = page.evaluate(_RUN, RULES)
    return found
