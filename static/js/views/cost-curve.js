// The cost curve: the training cost of every iteration (its mini-batch, as
// cost_history holds it) and the held-out test cost at the iterations the
// session stopped at (evaluations), linear or log scale, values on hover.
// Long histories are drawn from per-pixel means; hover reads the exact value.
import { readoutValue, tickLabel, ticks } from "../axis.js";

const W = 400;
const H = 170;
const PAD = { left: 44, right: 8, top: 8, bottom: 22 };
const SVG = "http://www.w3.org/2000/svg";

function el(name, attrs = {}) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

export function mountCostCurve(root, store, actions) {
  const svg = root.querySelector("[data-curve]");
  const readout = root.querySelector("[data-curve-readout]");
  const scaleButtons = [...root.querySelectorAll("[data-scale]")];
  const legendTest = root.querySelector("[data-legend-test]");
  let geometry = null;

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
      geometry = null;
      return;
    }
    const y = (c) => (log ? Math.log10(Math.max(c, 1e-12)) : c);
    const values = [...data.costs.filter((c) => Number.isFinite(c)), ...data.test.map(([, c]) => c)];
    let lo = Math.min(...values.map(y));
    let hi = Math.max(...values.map(y));
    if (!log) lo = Math.min(0, lo);
    if (hi - lo < 1e-12) hi = lo + 1;
    const t0 = data.costs.length ? data.first : data.test[0][0];
    const t1 = Math.max(data.last, t0 + 1);
    const px = (t) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
    const py = (c) => PAD.top + (1 - (y(c) - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
    // axes and ticks
    const axes = el("g", { class: "curve__axes" });
    axes.append(el("line", { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom }));
    axes.append(el("line", { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom }));
    for (const v of ticks(lo, hi)) {
      const yy = PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
      axes.append(el("line", { x1: PAD.left - 3, y1: yy, x2: W - PAD.right, y2: yy, class: "curve__grid" }));
      const label = el("text", { x: PAD.left - 5, y: yy + 3, "text-anchor": "end" });
      label.textContent = log ? tickLabel(10 ** v, 2) : tickLabel(v, 3);
      axes.append(label);
    }
    for (const v of ticks(t0, t1, 4)) {
      const anchor = px(v) > W - PAD.right - 14 ? "end" : "middle"; // the last one stays inside
      const label = el("text", { x: px(v), y: H - 6, "text-anchor": anchor });
      label.textContent = tickLabel(Math.round(v), 15);
      axes.append(label);
    }
    svg.append(axes);
    // the training curve: one point per pixel column at most (their mean)
    const n = data.costs.length;
    const buckets = Math.min(n, W - PAD.left - PAD.right);
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
    geometry = { data, px, t0, t1, cursorLine };
    root.dataset.points = String(n);
    if (legendTest) legendTest.hidden = data.test.length === 0;
    root.dataset.curveLast = n ? String(data.costs[n - 1]) : "";
    root.dataset.curveFirst = n ? String(data.costs[0]) : "";
  }

  svg.addEventListener("pointermove", (e) => {
    if (!geometry) return;
    const rect = svg.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * W;
    const { data, t0, t1, px, cursorLine } = geometry;
    const t = Math.round(t0 + ((x - PAD.left) / (W - PAD.left - PAD.right)) * (t1 - t0));
    const i = Math.min(Math.max(t - data.first, 0), data.costs.length - 1);
    const iteration = data.first + i;
    let nearest = null;
    for (const [tt, c] of data.test) if (nearest === null || Math.abs(tt - t) < Math.abs(nearest[0] - t)) nearest = [tt, c];
    const parts = [];
    if (data.costs.length) parts.push(`iteration ${iteration}: train cost ${readoutValue(data.costs[i])}`);
    if (nearest) parts.push(`test cost ${readoutValue(nearest[1])} at iteration ${nearest[0]}`);
    readout.textContent = parts.join(" · ");
    cursorLine.setAttribute("x1", String(px(iteration)));
    cursorLine.setAttribute("x2", String(px(iteration)));
  });
  svg.addEventListener("pointerleave", () => {
    if (geometry) geometry.cursorLine.setAttribute("x1", "-10");
    if (geometry) geometry.cursorLine.setAttribute("x2", "-10");
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
