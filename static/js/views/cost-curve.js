// The cost curve: the training cost of every iteration (its mini-batch, as
// cost_history holds it) and the held-out test cost at the iterations the
// session stopped at (evaluations), linear or log scale. Long histories are
// drawn from per-pixel means; the readout under the curve gives the exact
// values at one iteration: the one under the mouse, under a finger (a tap or
// a drag), or the one the arrow keys reach (the curve is a focusable slider
// over the iterations: ←→ one, PageUp/PageDown a tenth, Home/End the ends).
// The axes fit what is shown: the kept costs' iterations and their range
// (axis.js curveWindow), and a note says when the server dropped older costs.
import { curveWindow, historyNote, logTicks, readoutValue, tickLabel, ticks } from "../axis.js";

const W = 400;
const H = 170;
const PAD = { left: 44, right: 8, top: 8, bottom: 22 };
const CHAR_PX = 6.1; // a 10 px monospace digit, for the value labels' room
const SVG = "http://www.w3.org/2000/svg";

function el(name, attrs = {}) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

const IDLE = "Hover or tap the curve, or Tab to it and use the arrow keys, for values.";

export function mountCostCurve(root, store, actions) {
  const svg = root.querySelector("[data-curve]");
  const readout = root.querySelector("[data-curve-readout]");
  const scaleButtons = [...root.querySelectorAll("[data-scale]")];
  const legendTest = root.querySelector("[data-legend-test]");
  const note = root.querySelector("[data-curve-note]");
  let geometry = null;
  let at = null; // the iteration the readout shows, or null
  svg.tabIndex = 0;
  svg.setAttribute("role", "slider"); // (the template's "img" is not interactive)
  svg.setAttribute("aria-label", "Cost curve: the iteration whose costs are read out below");
  for (const [name, value] of [["aria-valuemin", "0"], ["aria-valuemax", "0"], ["aria-valuenow", "0"]]) svg.setAttribute(name, value);
  readout.textContent = IDLE;

  for (const b of scaleButtons) b.addEventListener("click", () => actions.setCurveScale(b.dataset.scale));

  function series() {
    const s = store.state.live ?? store.state.session; // live: while training
    if (!s) return null;
    const costs = s.cost_history;
    const first = s.cursor.iteration - costs.length; // iteration of costs[0]
    const ev = s.evaluations;
    const test = ev.iteration.map((t, i) => [t, ev.test_cost[i]]).filter(([, c]) => c !== null);
    return { costs, first, test, last: s.cursor.iteration };
  }

  function render() {
    const data = series();
    const log = store.state.curveScale === "log";
    for (const b of scaleButtons) b.setAttribute("aria-pressed", b.dataset.scale === store.state.curveScale ? "true" : "false");
    root.dataset.curveScale = store.state.curveScale;
    svg.replaceChildren();
    if (!data || (data.costs.length === 0 && data.test.length === 0)) {
      const t = el("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "curve__empty" });
      t.textContent = "Finish an iteration or train to see the cost.";
      svg.append(t);
      root.dataset.points = "0";
      note.hidden = true;
      geometry = null;
      show(null);
      return;
    }
    const y = (c) => (log ? Math.log10(Math.max(c, 1e-12)) : c);
    const win = curveWindow(data, log);
    const { lo, hi, t0, t1 } = win;
    data.test = win.test; // the test costs within the kept costs' iterations
    const valueTicks = log ? logTicks(lo, hi) : ticks(lo, hi);
    const labels = valueTicks.map((v) => (log ? tickLabel(10 ** v, 2) : tickLabel(v, 3)));
    // room for the longest value label, so none is cut off at the left edge
    const left = Math.max(PAD.left, Math.ceil(8 + CHAR_PX * Math.max(...labels.map((t) => t.length))));
    const px = (t) => left + ((t - t0) / (t1 - t0)) * (W - left - PAD.right);
    const py = (c) => PAD.top + (1 - (y(c) - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
    // axes and ticks
    const axes = el("g", { class: "curve__axes" });
    axes.append(el("line", { x1: left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom }));
    axes.append(el("line", { x1: left, y1: PAD.top, x2: left, y2: H - PAD.bottom }));
    valueTicks.forEach((v, i) => {
      const yy = PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
      axes.append(el("line", { x1: left - 3, y1: yy, x2: W - PAD.right, y2: yy, class: "curve__grid" }));
      // the label's baseline kept inside the plot's height: none is cut at the top or bottom
      const label = el("text", { x: left - 5, y: Math.min(Math.max(yy + 3, PAD.top + 7), H - PAD.bottom), "text-anchor": "end", "data-tick": "value" });
      label.textContent = labels[i];
      axes.append(label);
    });
    for (const v of ticks(t0, t1, 4)) {
      const anchor = px(v) > W - PAD.right - 14 ? "end" : "middle"; // the last one stays inside
      const label = el("text", { x: px(v), y: H - 6, "text-anchor": anchor, "data-tick": "iteration" });
      label.textContent = tickLabel(Math.round(v), 15);
      axes.append(label);
    }
    svg.append(axes);
    // the training curve: one point per pixel column at most (their mean)
    const n = data.costs.length;
    const buckets = Math.min(n, W - left - PAD.right);
    let d = "";
    for (let b = 0; b < buckets; b += 1) {
      const i0 = Math.floor((b * n) / buckets);
      const i1 = Math.max(i0 + 1, Math.floor(((b + 1) * n) / buckets));
      let sum = 0;
      let k = 0;
      for (let i = i0; i < i1; i += 1) {
        if (Number.isFinite(data.costs[i])) {
          sum += data.costs[i];
          k += 1;
        }
      }
      if (!k) continue;
      const t = data.first + (i0 + i1 - 1) / 2; // costs[i] is iteration first + i's
      d += `${d ? "L" : "M"}${px(t).toFixed(1)},${py(sum / k).toFixed(1)}`;
    }
    if (d) svg.append(el("path", { d, class: "curve__train", "data-series": "train" }));
    if (data.test.length) {
      const dt = data.test.map(([t, c], i) => `${i ? "L" : "M"}${px(t).toFixed(1)},${py(c).toFixed(1)}`).join("");
      svg.append(el("path", { d: dt, class: "curve__test", "data-series": "test" }));
      for (const [t, c] of data.test) svg.append(el("circle", { cx: px(t), cy: py(c), r: 2.5, class: "curve__test-dot" }));
    }
    const cursorLine = el("line", { class: "curve__cursor", y1: PAD.top, y2: H - PAD.bottom, x1: -10, x2: -10 });
    svg.append(cursorLine);
    geometry = { data, px, t0, t1, left, cursorLine };
    const limits = store.state.options?.limits ?? {};
    const said = historyNote(n ? data.first : 0, n, limits.max_cost_history);
    if (note.textContent !== said) note.textContent = said;
    note.hidden = !said;
    root.dataset.points = String(n);
    if (legendTest) legendTest.hidden = data.test.length === 0;
    root.dataset.curveLast = n ? String(data.costs[n - 1]) : "";
    root.dataset.curveFirst = n ? String(data.costs[0]) : "";
    const [from, to] = span();
    svg.setAttribute("aria-valuemin", String(from));
    svg.setAttribute("aria-valuemax", String(to));
    show(at); // the same iteration on the new curve
  }

  /** The iterations the readout can name: the training costs', else the test costs'. */
  function span() {
    const { data } = geometry;
    if (data.costs.length) return [data.first, data.first + data.costs.length - 1];
    return [data.test[0][0], data.test[data.test.length - 1][0]];
  }

  /** Read out iteration t (kept inside the curve), or nothing (null): the cursor line and the values. */
  function show(t) {
    if (t === null || !geometry) {
      at = null;
      if (geometry) placeCursor(-10);
      readout.textContent = IDLE;
      svg.setAttribute("aria-valuenow", geometry ? String(span()[1]) : "0"); // (a slider always has a value)
      svg.setAttribute("aria-valuetext", IDLE);
      return;
    }
    const [lo, hi] = span();
    at = Math.min(Math.max(Math.round(t), lo), hi);
    const { data, px } = geometry;
    let nearest = null;
    for (const [tt, c] of data.test) if (nearest === null || Math.abs(tt - at) < Math.abs(nearest[0] - at)) nearest = [tt, c];
    const parts = [];
    if (data.costs.length) parts.push(`iteration ${at}: train cost ${readoutValue(data.costs[at - data.first])}`);
    if (nearest) parts.push(`test cost ${readoutValue(nearest[1])} at iteration ${nearest[0]}`);
    readout.textContent = parts.join(" · ");
    svg.setAttribute("aria-valuenow", String(at));
    svg.setAttribute("aria-valuetext", readout.textContent);
    placeCursor(px(data.costs.length ? at : nearest[0]));
  }

  function placeCursor(x) {
    geometry.cursorLine.setAttribute("x1", String(x));
    geometry.cursorLine.setAttribute("x2", String(x));
  }

  /** The iteration at a pointer's x. */
  function iterationAt(e) {
    const rect = svg.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * W;
    const { t0, t1, left } = geometry;
    return t0 + ((x - left) / (W - left - PAD.right)) * (t1 - t0);
  }

  // a mouse moving, a finger down or dragging (the curve takes no scrolling: touch-action none)
  svg.addEventListener("pointerdown", (e) => geometry && show(iterationAt(e)));
  svg.addEventListener("pointermove", (e) => geometry && show(iterationAt(e)));
  svg.addEventListener("pointerleave", (e) => {
    if (e.pointerType !== "mouse" || document.activeElement === svg || !geometry) return;
    at = null; // the line goes; the readout keeps the values last read until the curve changes
    placeCursor(-10);
  });
  svg.addEventListener("focus", () => geometry && show(at ?? span()[1]));
  svg.addEventListener("blur", () => show(null));
  svg.addEventListener("keydown", (e) => {
    if (!geometry || e.shiftKey || e.ctrlKey || e.metaKey || e.altKey) return;
    const [lo, hi] = span();
    const page = Math.max(1, Math.round((hi - lo) / 10));
    const moves = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -page, PageUp: page };
    const to = e.key === "Home" ? lo : e.key === "End" ? hi : moves[e.key] !== undefined ? (at ?? hi) + moves[e.key] : null;
    if (to === null) return;
    e.preventDefault(); // not the page's shortcuts (the arrows step the iteration)
    e.stopPropagation();
    show(to);
  });

  let pending = false;
  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("curveScale")) render();
    else if ((k.includes("session") || k.includes("live")) && !pending) {
      pending = true; // at most once a frame while training
      requestAnimationFrame(() => {
        pending = false;
        render();
      });
    }
  });
}
