"""Every asset the page needs is served by the app: nothing it serves points elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# an element or a stylesheet that would load from another host
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//""")
TEXT = {".html", ".css", ".md", ".js", ".mjs", ".svg", ".json"}


def test_nothing_served_loads_from_another_host() -> None:
    served = [*(ROOT / "static").rglob("*"), *(ROOT / "templates").rglob("*")]
    files = [p for p in served if p.is_file() and p.suffix in TEXT]
    assert len(files) > 20
    offenders = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in EXTERNAL.finditer(text)]
    assert offenders == []
