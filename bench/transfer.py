"""Bytes on the wire (figures, not a test): what a step costs a page and a follower.

Runs a real uvicorn and prints, for the spiral preset after 10,000 iterations of
training (a full cost history and 500 evaluations):

- a session route's answer for a step within an iteration, whole (the baseline)
  and as a delta (`since`), and for a step into the next iteration, against that
  iteration's trace JSON;
- a live-class follower's event for the same two steps, read from the event
  stream (bytes of the `data:` line);
- the step page's first load in headless Chromium: bytes transferred (encoded,
  from the DevTools protocol) with compression, against the same load without.

Goals: a step within an iteration ≤ 2 KB per follower whatever the history; a new
iteration ≤ 1.2 × its trace's JSON; a first load ≤ 350 KB transferred.

    .venv/bin/python bench/transfer.py
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from threading import Thread
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.chromium import CHROMIUM_ARGS, chromium_path  # noqa: E402
from tests.servers import AppProcess  # noqa: E402

STEP = {"direction": "forward", "unit": "step"}
NEXT = {"direction": "forward", "unit": "iteration"}


@contextmanager
def server() -> Iterator[str]:
    """The app with room for 10,000 iterations in one train; its URL."""
    with AppProcess({"BACKPROP_LENS_MAX_ITERATIONS": "10000"}) as app:
        yield app.url


def _event_sizes(url: str, code: str, count: int) -> Iterator[tuple[str, int]]:
    """(kind, bytes of data) of the class's next `count` events after the first."""
    with httpx.stream("GET", f"{url}/api/v1/classes/{code}/events", timeout=60) as stream:
        kind, seen = "", -1
        for line in stream.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                seen += 1
                if seen > 0:
                    yield kind, len(line) - 6
                if seen == count:
                    return


def session_and_class(url: str) -> dict[str, Any]:
    api = httpx.Client(base_url=f"{url}/api/v1", timeout=120)
    sid = api.post("/sessions", json={"preset": "spiral"}).json()["id"]
    api.post(f"/sessions/{sid}/train", json={"iterations": 10_000})
    code = api.post(f"/sessions/{sid}/class").json()["code"]
    whole = api.get(f"/sessions/{sid}")
    version = whole.json()["version"]
    within = api.post(f"/sessions/{sid}/step", json=STEP, params={"since": version})
    into_next = api.post(
        f"/sessions/{sid}/step", json=NEXT, params={"since": within.json()["version"]}
    )
    trace = len(json.dumps(into_next.json()["trace"], separators=(",", ":")))
    # the same two moves again, with a follower listening
    events: list[tuple[str, int]] = []
    listener = Thread(target=lambda: events.extend(_event_sizes(url, code, 2)))
    listener.start()
    time.sleep(0.5)
    api.post(f"/sessions/{sid}/step", json=STEP)
    api.post(f"/sessions/{sid}/step", json=NEXT)
    listener.join(timeout=60)
    return {
        "whole": len(whole.content),
        "within": len(within.content),
        "next": len(into_next.content),
        "trace": trace,
        "events": events,
    }


def _load_bytes(browser: Any, url: str, headers: dict[str, str]) -> int:
    """Bytes transferred (encoded) while the page loads and draws its first state."""
    context = browser.new_context(extra_http_headers=headers)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: list[int] = []
    cdp.on("Network.loadingFinished", lambda e: sizes.append(int(e["encodedDataLength"])))
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=60000)
    page.wait_for_timeout(1000)  # the boundary and the data follow the first state
    context.close()
    return sum(sizes)


def first_load(url: str) -> dict[str, int]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        sizes = {
            "gzip": _load_bytes(browser, url, {}),
            "identity": _load_bytes(browser, url, {"Accept-Encoding": "identity"}),
        }
        browser.close()
    return sizes


def kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def main() -> None:
    with server() as url:
        moves = session_and_class(url)
        load = first_load(url)
    within, whole = moves["within"], moves["whole"]
    print("spiral (2-8-8-1, batch 20) after 10,000 iterations")
    print(f"  whole state (baseline)          {kb(whole)}")
    print(f"  step within an iteration, delta {kb(within)}  [goal ≤ 2 KB]  {within / whole:.4f}")
    ratio = moves["next"] / moves["trace"]
    print(f"  into the next iteration, delta  {kb(moves['next'])}  = {ratio:.2f} × its trace "
          f"({kb(moves['trace'])})  [goal ≤ 1.2]")  # fmt: skip
    moments = ("within an iteration", "next iteration")
    for (kind, size), what in zip(moves["events"], moments, strict=True):
        print(f"  follower event, {what:20s} {kind:6s} {kb(size)}")
    print("first load of / in Chromium (bytes transferred)")
    print(f"  uncompressed (baseline)         {kb(load['identity'])}")
    print(f"  gzip                            {kb(load['gzip'])}  [goal ≤ 350 KB]  "
          f"{load['gzip'] / load['identity']:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
