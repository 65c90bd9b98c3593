"""A thin driver for the step page: stable data-* hooks only, no CSS classes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"

Matrix = list[list[float]]
# Training in the browser takes a second or two here; a loaded CI machine (several
# test runs sharing two cores) has been seen to take 25× longer. Generous, since only
# a hang should fail.
TRAINING_TIMEOUT_MS = 180_000
# A spiral 2-8-8-1 with a test split, as a share link opens it: the training views' subject.
SPIRAL = (
    "/?layers=2-8-8-1&act=tanh.tanh.sigmoid&cost=cross_entropy&lr=0.3"
    "&data=spiral&size=200&noise=0.02&dseed=0&batch=32&seed=0&test=0.2"
)


def explicit_config(layers: list[int], batch: int) -> dict[str, Any]:
    """A session configuration with explicit data (no data set has 64 inputs): tanh hidden
    layers, a softmax output and its cross-entropy, 2 × batch fixed samples, one class each."""
    n0, n_out = layers[0], layers[-1]
    inputs = [[((i * 7 + j * 3) % 11) / 10 - 0.5 for j in range(n0)] for i in range(2 * batch)]
    targets = [[1.0 if k == i % n_out else 0.0 for k in range(n_out)] for i in range(2 * batch)]
    return {
        "network": {
            "layers": layers,
            "activations": ["tanh"] * (len(layers) - 2) + ["softmax"],
            "init": {"method": "xavier", "seed": 0},
        },
        "cost": "softmax_cross_entropy",
        "learning_rate": 0.1,
        "data": {"inputs": inputs, "targets": targets},
        "batch_size": batch,
        "seed": 0,
    }


def display(value: float, digits: int = 4) -> str:
    """What the page prints for a value: explicit sign, `digits` significant digits.

    Mirrors static/js/format.js for the magnitudes the worked example has
    (1e-4 ≤ |v| < 1e6); the sign is U+2212 for negatives and "+" otherwise.
    """
    if value == 0:
        return "0"
    body = f"{abs(value):#.{digits}g}"
    return ("\u2212" if value < 0 else "+") + body


# A tablet held upright: touch and no mouse to hover with, at a width the page lays
# out as on a desktop (a phone's width brings the narrow layout in as well).
TABLET_TOUCH: dict[str, Any] = {
    "viewport": {"width": 1024, "height": 1366},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}

# A phone held upright (390 × 844 CSS pixels, touch): the narrow layout.
PHONE_TOUCH: dict[str, Any] = {**TABLET_TOUCH, "viewport": {"width": 390, "height": 844}}


@contextmanager
def opened(
    browser: Any, base_url: str, name: str, path: str = "/", **context: Any
) -> Iterator[Lens]:
    """A fresh browser context (`context`: Playwright's new_context options) on `path`."""
    ctx = browser.new_context(base_url=base_url, **context)
    try:
        lens = Lens(ctx.new_page(), name=name)
        lens.open(path)
        yield lens
    finally:
        ctx.close()


class Lens:
    def __init__(self, page: Any, name: str) -> None:
        self.page = page
        self.name = name
        self.console: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda err: self.console.append(f"pageerror: {err}"))

    def _on_console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.console.append(f"{message.type}: {message.text}")

    # navigation and state
    def open(self, path: str = "/") -> Any:
        response = self.page.goto(path)
        self.wait_ready()
        return response

    def wait_ready(self) -> None:
        self.page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=60000)
        self.wait_idle()

    # Predicates are passed as functions: a bare expression string would be
    # eval'ed in the page, which its Content-Security-Policy rightly forbids.
    def wait_idle(self) -> None:
        """Until no request is in flight (the store's busy flag)."""
        self.page.wait_for_function(
            "() => window.backpropLens && !window.backpropLens.store.state.busy", timeout=60000
        )

    def state(self) -> dict[str, Any]:
        session: dict[str, Any] = self.page.evaluate(
            "() => JSON.parse(JSON.stringify(window.backpropLens.store.state.session))"
        )
        return session

    def cursor_index(self) -> int:
        current = self.page.locator("[data-step-index][aria-current='step']")
        return int(current.get_attribute("data-step-index"))

    def wait_trained(self) -> None:
        """Until a training run has ended and its last state is shown."""
        self.page.wait_for_function(
            """() => { const s = window.backpropLens.store.state;
                       return !s.training && !s.busy && !s.live; }""",
            timeout=TRAINING_TIMEOUT_MS,
        )
        self.wait_idle()

    def boundary_pixels(self) -> list[int]:
        """A sample of the decision boundary's canvas (every 97th byte of its RGBA data)."""
        pixels: list[int] = self.page.evaluate(
            """() => { const c = document.querySelector('[data-boundary]');
                       return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height)
                         .data.filter((_, i) => i % 97 === 0)); }"""
        )
        return pixels

    def start_live_class(self) -> str:
        """Start a live class from the step page; its join code (the dialog closed again)."""
        page = self.page
        page.locator("[data-action='live-class']").click()
        page.locator("[data-action='start-class']").click()
        code_box = page.locator("[data-class-code]")
        code_box.wait_for(state="visible")
        code = str(code_box.inner_text().replace(" ", ""))
        page.locator("dialog[data-view='live-class'] [data-close]").click()
        page.locator("#main").focus()
        return code

    def share_link(self) -> str:
        """The link box once it has caught up with the session (views/share.js
        follows the session after a short pause, not on every step)."""
        self.page.wait_for_function(
            "() => !document.querySelector(\"[data-view='share']\").dataset.linkPending",
            timeout=30000,
        )
        link: str = self.page.locator("[data-share-link]").input_value()
        return link

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.wait_idle()

    def click_action(self, action: str) -> None:
        self.page.locator(f"[data-view='controls'] [data-action='{action}']").click()
        self.wait_idle()

    # reading the DOM
    def matrix(self, key: str, role: str | None = None) -> Any:
        selector = f"[data-view='equation'] [data-matrix='{key}']"
        if role:
            selector += f"[data-role='{role}']"
        return self.page.locator(selector).first

    def matrix_values(self, key: str, role: str | None = None) -> Matrix:
        """Full-precision values (data-value) of a displayed matrix, row by row: all of
        them, also when it is shown elided or as a heatmap ([data-cells] holds every cell;
        a big one is written when the page is idle, data-cells-pending until then)."""
        rows: list[list[str]] = self.matrix(key, role).evaluate(
            """async fig => {
                while ('cellsPending' in fig.dataset) await new Promise(r => setTimeout(r, 20));
                return [...fig.querySelectorAll('table[data-cells] tbody tr')].map(
                    tr => [...tr.querySelectorAll('td')].map(td => td.dataset.value));
            }"""
        )
        return [[float(v) for v in row] for row in rows]

    def matrix_text(self, key: str, role: str | None = None) -> list[list[str]]:
        rows: list[list[str]] = self.matrix(key, role).evaluate(
            """fig => [...fig.querySelectorAll('tbody tr')].map(
                tr => [...tr.querySelectorAll('td')].map(td => td.textContent))"""
        )
        return rows

    def view_html(self) -> str:
        """Everything a step renders (views only; the status line excluded)."""
        html: str = self.page.evaluate(
            """() => ['timeline', 'network', 'equation', 'explanation', 'update']
                .map(v => document.querySelector(`[data-view='${v}']`).innerHTML).join('\\n')"""
        )
        return html

    # the arithmetic of one entry (views/expansion.js)
    def seek(self, index: int) -> None:
        self.page.locator(f"[data-view='timeline'] [data-step-index='{index}']").click()
        self.wait_idle()

    def load_preset(self, name: str) -> None:
        """Pick a preset in the settings (it loads at once) and close them again."""
        toggle = self.page.locator("[data-action='toggle-config']")
        toggle.click()
        self.page.select_option("[data-field='preset']", name)
        self.page.wait_for_function(
            "(name) => { const s = window.backpropLens.store.state;"
            " return !s.busy && s.lastPreset === name; }",
            arg=name,
            timeout=30000,
        )
        toggle.click()

    def expansions(self) -> int:
        """How many expansions the page has opened (and timed) so far."""
        count: int = self.page.evaluate(
            "() => performance.getEntriesByName('bpl:expansion').length"
        )
        return count

    def wait_expanded(self, before: int) -> None:
        """Until an expansion opened after `before` others is on screen with its numbers."""
        self.page.wait_for_function(
            "(n) => performance.getEntriesByName('bpl:expansion').length > n",
            arg=before,
            timeout=10000,
        )

    def open_entry(self, key: str, row: int, col: int, role: str | None = None) -> None:
        """Click a cell of the equation and wait for its expansion."""
        before = self.expansions()
        self.matrix(key, role).locator(f"td[data-row='{row}'][data-col='{col}']").click()
        self.wait_expanded(before)

    def expansion(self) -> Any:
        return self.page.locator("[data-view='expansion']")

    def expansion_lines(self) -> list[str]:
        lines: list[str] = (
            self.expansion()
            .locator("[data-xp-line]")
            .evaluate_all("ps => ps.map(p => p.textContent)")
        )
        return lines

    def expansion_refs(self) -> list[tuple[str, str, str]]:
        """The operand buttons: (data-ref, the line's kind, the text shown)."""
        refs: list[list[str]] = (
            self.expansion()
            .locator("[data-xp-line] [data-ref]")
            .evaluate_all(
                "bs => bs.map(b => [b.dataset.ref, b.closest('[data-xp-line]').dataset.xpLine,"
                " b.textContent])"
            )
        )
        return [(r, kind, text) for r, kind, text in refs]

    def screenshot(self, label: str, full_page: bool = False) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{label}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path
