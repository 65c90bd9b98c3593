"""Lighthouse on the step page (figures, not a test): a phone on a slow network.

Runs a real uvicorn and Lighthouse 12 (npm `lighthouse@12.2.3`; 13 wants Node 22)
driving Debian's Chromium against `/`, with Lighthouse's default mobile preset
(a mid-range phone, slow 4G simulated), and prints per run and as the median:
the performance and accessibility scores, Largest Contentful Paint, Cumulative
Layout Shift and Total Blocking Time.

Goals: performance ≥ 0.9, layout shift ≤ 0.1, accessibility 1.0.

Lighthouse is a bench tool, not a test dependency: the first run installs it into
.tools/lighthouse (about 15 s; `npm install --prefix .tools/lighthouse
lighthouse@12.2.3` does the same by hand).

    .venv/bin/python bench/lighthouse.py [--runs 3] [--path /] [--preset mobile|desktop]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.transfer import server  # noqa: E402

VERSION = "12.2.3"
PREFIX = ROOT / ".tools" / "lighthouse"
LIGHTHOUSE = PREFIX / "node_modules" / ".bin" / "lighthouse"
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --disable-dev-shm-usage"
)
AUDITS = {
    "FCP s": ("first-contentful-paint", 1000),
    "SI s": ("speed-index", 1000),
    "LCP s": ("largest-contentful-paint", 1000),
    "CLS": ("cumulative-layout-shift", 1),
    "TBT ms": ("total-blocking-time", 1),
}


def install() -> None:
    """Lighthouse into .tools/lighthouse, once."""
    if LIGHTHOUSE.exists():
        return
    print(f"installing lighthouse@{VERSION} into {PREFIX.relative_to(ROOT)} …", flush=True)
    PREFIX.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--prefix", str(PREFIX), "--no-save", "--no-audit", "--no-fund",
         "--loglevel=error", f"lighthouse@{VERSION}"],
        check=True,
    )  # fmt: skip


def run_once(url: str, preset: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
            "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}",
        ]  # fmt: skip
        if preset == "desktop":
            command.append("--preset=desktop")
        subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROME})
        result: dict[str, Any] = json.loads(report.read_text())
    return result


def figures(report: dict[str, Any]) -> dict[str, float]:
    cats = report["categories"]
    row = {"perf": cats["performance"]["score"], "a11y": cats["accessibility"]["score"]}
    for name, (audit, scale) in AUDITS.items():
        row[name] = report["audits"][audit]["numericValue"] / scale
    return row


def problems(report: dict[str, Any]) -> list[str]:
    """The audits that did not pass, with what they found (the first run's)."""
    found = []
    for audit in report["audits"].values():
        score = audit.get("score")
        if score is not None and score < 0.9 and audit.get("scoreDisplayMode") != "informative":
            found.append(f"  {audit['id']}: {audit.get('displayValue', '')} (score {score})")
    return found


def show(name: str, row: dict[str, float]) -> None:
    print(
        f"{name:>8}  performance {row['perf']:.2f}  accessibility {row['a11y']:.2f}  "
        f"FCP {row['FCP s']:.2f} s  SI {row['SI s']:.2f} s  LCP {row['LCP s']:.2f} s  "
        f"CLS {row['CLS']:.3f}  TBT {row['TBT ms']:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--path", default="/")
    parser.add_argument("--preset", choices=["mobile", "desktop"], default="mobile")
    args = parser.parse_args()
    install()
    with server() as base:
        reports = [run_once(base + args.path, args.preset) for _ in range(args.runs)]
    rows = [figures(r) for r in reports]
    print(f"Lighthouse {VERSION}, {args.preset} preset, {base}{args.path}, {args.runs} runs")
    for i, row in enumerate(rows, start=1):
        show(f"run {i}", row)
    show("median", {k: statistics.median(r[k] for r in rows) for k in rows[0]})
    print("goals: performance ≥ 0.90, CLS ≤ 0.100, accessibility 1.00")
    print("audits under 0.9 (run 1):")
    print("\n".join(problems(reports[0])) or "  none")


if __name__ == "__main__":
    main()
