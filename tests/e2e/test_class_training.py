"""A live class's training views in a real browser: the follower sees the instructor train.

The instructor trains N iterations on a 2-D preset; the follower's page, which
has only the join code, grows the same cost curve while it trains and ends on
the same last cost, the same decision boundary (pixel for pixel: the same
field, drawn by the same view) and the hidden neurons, with no way to train.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.helpers import ARTIFACTS, SPIRAL, TRAINING_TIMEOUT_MS, Lens

pytestmark = pytest.mark.e2e

VIEWPORT = {"width": 1280, "height": 900}
N = 1000


@pytest.fixture
def pages(
    browser: Any, base_url: str, request: pytest.FixtureRequest
) -> Iterator[tuple[Lens, Lens]]:
    """The instructor's step page (a live class started) and a follower's page, two contexts."""
    teacher_context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
    student_context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
    try:
        teacher = Lens(teacher_context.new_page(), name=f"{request.node.name}-teacher")
        teacher.open(SPIRAL)
        code = teacher.start_live_class()
        student = Lens(student_context.new_page(), name=f"{request.node.name}-student")
        student.open(f"/class/{code}")
        yield teacher, student
    finally:
        teacher_context.close()
        student_context.close()


def wait_drawn(lens: Lens, iteration: int) -> None:
    """Until the boundary and the neurons show the network at `iteration`."""
    lens.page.wait_for_function(
        """it => ["boundary", "neurons"].every(v =>
                   document.querySelector(`[data-view='${v}']`).dataset.drawnIteration
                   === String(it))""",
        arg=iteration,
        timeout=TRAINING_TIMEOUT_MS,
    )


def test_the_follower_sees_the_instructor_train(pages: tuple[Lens, Lens]) -> None:
    teacher, student = pages
    wait_drawn(teacher, 0)
    wait_drawn(student, 0)
    assert student.boundary_pixels() == teacher.boundary_pixels()
    curve = "[data-view='cost-curve']"
    assert student.page.locator(curve).get_attribute("data-points") == "0"
    # Read-only: none of the step page's training or editing controls.
    for hook in (
        "[data-view='train-controls']",
        "[data-action='train']",
        "[data-view='config']",
        "[data-view='data']",
        "[data-view='controls']",
    ):
        assert student.page.locator(hook).count() == 0, hook
    # Record what the follower shows while the instructor trains.
    student.page.evaluate(
        """() => { window.seen = { points: [], drawn: [] };
                   const watch = (view, key, into) => {
                     const el = document.querySelector(`[data-view='${view}']`);
                     new MutationObserver(() => into.push(Number(el.dataset[key])))
                       .observe(el, { attributes: true }); };
                   watch("cost-curve", "points", window.seen.points);
                   watch("boundary", "drawnIteration", window.seen.drawn); }"""
    )

    page = teacher.page
    page.locator("[data-control='train-count']").select_option(str(N))
    page.locator("[data-action='train']").click()
    page.wait_for_function(
        """() => { const s = window.backpropLens.store.state;
                   return !s.training && !s.busy && !s.live; }""",
        timeout=TRAINING_TIMEOUT_MS,
    )
    teacher.wait_idle()
    wait_drawn(teacher, N)
    wait_drawn(student, N)
    student.page.wait_for_function(
        f"""() => document.querySelector("{curve}").dataset.points === "{N}" """, timeout=10000
    )

    taught = teacher.page.locator(curve)
    followed = student.page.locator(curve)
    assert followed.get_attribute("data-points") == taught.get_attribute("data-points") == str(N)
    assert followed.get_attribute("data-curve-last") == taught.get_attribute("data-curve-last")
    last_cost = teacher.state()["cost_history"][-1]
    assert float(followed.get_attribute("data-curve-last")) == last_cost
    assert student.page.locator("[data-curve] [data-series='train']").count() == 1
    assert student.boundary_pixels() == teacher.boundary_pixels()
    for part in ("train", "test"):
        accuracy = f"[data-accuracy='{part}']"
        shown = student.page.locator(accuracy).inner_text()
        assert shown == page.locator(accuracy).inner_text()
        assert shown.endswith("%")
    assert student.page.locator("[data-neuron-map]").count() == 16

    # Live, not only at the end: the curve grew and the boundary redrew on the way.
    seen = student.page.evaluate("() => window.seen")
    assert [p for p in seen["points"] if 0 < p < N], seen
    assert [d for d in seen["drawn"] if 0 < d < N], seen
    assert seen["points"] == sorted(seen["points"])

    for lens in (teacher, student):
        training = lens.page.locator("[data-view='training']")
        training.scroll_into_view_if_needed()
        lens.screenshot("trained")
        training.screenshot(path=str(ARTIFACTS / f"{lens.name}-training.png"))
        assert lens.console == [], lens.console
