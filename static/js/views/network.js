// The network diagram (SVG): neurons in columns, edges by sign and |value|.
// forward: neurons show a; output_error/backward/gradients: δ in the error
// colours with the flow drawn backward; gradients: edges show ∂C/∂w; update:
// edges show the change −η·∂C/∂w (phases.js's visibleAt says which, at each
// step). Each neuron's value is written under it with the page's digits, at a
// size that stays readable however small the diagram is drawn. Clicking or
// tapping a neuron or an edge (or Enter on a neuron, moving with the arrow
// keys) picks the entry it shows: its cells light up in the equation and, where
// this step computes it, its expansion opens. Hover titles name every value.
import { activationOf, deltaOf, describeCell, equationLines, findCells } from "../equation.js";
import { cellColour, formatNumber, fullPrecision, maxAbs, sup } from "../format.js";
import { edgeLine, edgeWidth, labelledRadius, neuronPositions, targetAt } from "../layout.js";
import { visibleAt } from "../phases.js";
import { refTargets, refsOf } from "../terms.js";
import { marker } from "./marks.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 600;
const H = 380;

function el(name, attrs = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

const byLayer = (entries, l) => entries.find((e) => e.layer === l);
const negated = (x) => (x === null ? null : -x); // a change is −η·∂C/∂…: the sign flip is the only thing done here

/** Layer l's neuron values for sample `sample`, as visibleAt says they show: {name, v (null: not yet), isDelta}. */
function neuronValues(trace, shows, l, sample) {
  const s = sup(l);
  const column = (matrix) => matrix.map((r) => r[sample]);
  if (shows === "a") return { name: `a${s}`, v: column(activationOf(trace, l)), isDelta: false };
  if (shows === "delta") return { name: `δ${s}`, v: column(deltaOf(trace, l)), isDelta: true };
  if (shows === "bias_change") return { name: `Δb${s}`, v: byLayer(trace.update, l).eta_grad_biases.map(negated), isDelta: true };
  return { name: "", v: null, isDelta: false };
}

/** The matrix the edges into layer l show: the weights, ∂C/∂w, or the change −η·∂C/∂w. */
function edgeValues(trace, shows, l) {
  if (shows === "grad") return byLayer(trace.gradients, l).weights;
  if (shows === "change") return byLayer(trace.update, l).eta_grad_weights.map((r) => r.map(negated));
  return trace.network.weights[l - 1];
}

// The entry a neuron or an edge shows, as the terms route names it (a change
// −η·∂C/∂… opens as the new weight or bias it makes).
const NEURON_REF = { a: "a", delta: "delta", bias_change: "b_new" };
const EDGE_REF = { w: "W", grad: "dC_dW", change: "W_new" };

export function mountNetwork(root, store, actions = null) {
  // Two stacked SVGs: the back one holds the layer bands and the edges (which
  // change only at phase changes), the front one the neurons, arrows and
  // labels (which change every step). A change inside an SVG makes the
  // browser re-measure all of that SVG's children; this way a step does not
  // re-measure hundreds of edges.
  const back = root.querySelector("svg[data-diagram-edges]");
  const svg = root.querySelector("svg[data-diagram]");
  const diagram = back.parentElement;
  const caption = root.querySelector("[data-diagram-caption]");
  back.setAttribute("viewBox", `0 0 ${W} ${H}`); // its drawn size (and so the label scale) is known before the first build
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  let shapeKey = "";
  let geo = null;
  const neurons = []; // neurons[l][j] = {g, circle, text, title}
  const edges = []; // edges[l][j][k] = {line, title}
  let bands = [];
  let edgeGroups = [];
  let arrows = null;
  let flowLabel = null;
  let hovered = [];
  const marks = marker(["pick-entry", "pick-operand"]);
  let shown = { values: [], sample: 0 }; // what the last render showed (a picked neuron's readout)
  // Labels are drawn at --label-px on screen whatever the diagram's scale:
  // their size in viewBox units is --label-px / scale (CSS: * var(--k)).
  let unitsPerPx = 1;

  function labelUnits() {
    const px = Number.parseFloat(getComputedStyle(diagram).getPropertyValue("--label-px")) || 12.5;
    return px * unitsPerPx;
  }

  function build(layers) {
    svg.replaceChildren();
    back.replaceChildren();
    neurons.length = 0;
    edges.length = 0;

    const font = labelUnits();
    const base = neuronPositions(layers, W, H - 34, { padX: 56, padY: 44 });
    // room for a value under each neuron, above the layer names (at H − 12)
    const fit = labelledRadius(base.positions, base.radius, font * 1.2, H - 14 - font * 0.8);
    geo = { positions: base.positions, radius: fit.radius, labels: fit.labels };
    const { positions, radius } = geo;
    // A label wider than its column stays inside the drawing: the input layer's
    // start at its circles' left edge, the output layer's end at their right edge.
    const anchor = (l, x) =>
      l === 0
        ? { x: x - radius, "text-anchor": "start" }
        : l === layers.length - 1
          ? { x: x + radius, "text-anchor": "end" }
          : { x, "text-anchor": "middle" };

    const bandG = el("g", { class: "bands" });
    bands = layers.map((_, l) => {
      const x = positions[l][0].x;
      const rect = el("rect", {
        x: x - radius - 12,
        y: 24,
        width: 2 * radius + 24,
        height: H - 58,
        rx: 12,
        class: "band",
      });
      bandG.append(rect);
      const label = el("text", { ...anchor(l, x), y: H - 12, class: "layer-label" });
      label.textContent = l === 0 ? "input (0)" : l === layers.length - 1 ? `output (${l})` : `layer ${l}`;
      bandG.append(label);
      return rect;
    });
    back.append(bandG);

    const edgeG = el("g", { class: "edges" });
    edges.push([]);
    edgeGroups = [null];
    for (let l = 1; l < layers.length; l += 1) {
      const layerEdges = [];
      const group = el("g", { class: "edge-layer" });
      group.dataset.edgeLayer = String(l);
      edgeGroups.push(group);
      edgeG.append(group);
      for (let j = 0; j < layers[l]; j += 1) {
        const row = [];
        for (let k = 0; k < layers[l - 1]; k += 1) {
          const line = el("line", { ...edgeLine(positions, radius, l, j, k), class: "edge" });
          line.dataset.edge = `${l}:${j}:${k}`;
          const title = el("title");
          line.append(title);
          group.append(line);
          row.push({ line, title, width: null, cls: null, value: undefined, kind: null, titled: false, titledValue: undefined });
        }
        layerEdges.push(row);
      }
      edges.push(layerEdges);
    }
    back.append(edgeG);
    arrows = el("g", { class: "flow-arrows" });
    svg.append(arrows);
    flowLabel = el("text", { x: W / 2, y: 3, "text-anchor": "middle", "dominant-baseline": "hanging", class: "flow-label" });
    svg.append(flowLabel);

    const nodeG = el("g", { class: "neurons" });
    layers.forEach((n, l) => {
      const col = [];
      for (let j = 0; j < n; j += 1) {
        const { x, y } = positions[l][j];
        const g = el("g", { class: "neuron" });
        g.dataset.neuron = `${l}:${j}`;
        const circle = el("circle", { cx: x, cy: y, r: radius });
        const title = el("title");
        // the value hangs under the circle (it no longer has to fit inside it)
        const text = el("text", { ...anchor(l, x), y: y + radius + 3, "dominant-baseline": "hanging", class: "neuron-value" });
        g.append(title, circle);
        if (geo.labels) g.append(text);
        nodeG.append(g);
        col.push({ g, circle, text, title });
      }
      neurons.push(col);
    });
    svg.append(nodeG);
    hovered = [];
    marks.clear(); // (the marked elements are gone with the old drawing)
  }

  function render() {
    const { session, focus, digits } = store.state;
    if (!session) return;
    const trace = session.trace;
    const layers = trace.network.layers;
    const L = layers.length - 1;
    const key = `${layers.join("-")}@${labelUnits().toFixed(1)}`;
    if (key !== shapeKey) {
      build(layers);
      shapeKey = key;
    }
    const visible = visibleAt(session.steps, session.cursor.index);
    const { phase, layer } = visible.step;
    const sample = focus ?? 0;
    const m = trace.batch.a0[0]?.length ?? 1;
    svg.dataset.phase = phase;
    svg.dataset.flow = visible.flow;
    back.dataset.flow = visible.flow;
    root.dataset.scheme = visible.errors ? "error" : "value";

    bands.forEach((rect, l) => {
      rect.classList.toggle("band--current", visible.bands[l] === "current");
      rect.classList.toggle("band--source", visible.bands[l] === "source");
    });

    // neuron values at this step (from the API's trace, sample `sample`)
    const values = visible.neurons.map((shows, l) => neuronValues(trace, shows, l, sample)); // values[l] = {name, v, isDelta}
    shown = { values, shows: visible.neurons, edgeShows: visible.edges, sample, perSample: m > 1 };
    const rangeA = Math.max(...values.filter((x) => x.v && !x.isDelta).map((x) => maxAbs(x.v)), 0);
    const rangeD = Math.max(...values.filter((x) => x.v && x.isDelta).map((x) => maxAbs(x.v)), 0);
    const perSample = m > 1 ? ` (sample ${sample})` : "";
    for (let l = 0; l <= L; l += 1) {
      const { name, v, isDelta } = values[l];
      for (let j = 0; j < layers[l]; j += 1) {
        const n = neurons[l][j];
        const value = v ? v[j] : undefined;
        const known = v !== null;
        n.g.classList.toggle("neuron--pending", !known);
        n.g.classList.toggle("neuron--error", known && isDelta);
        n.g.dataset.value = known ? fullPrecision(value) : "";
        n.circle.style.fill = known ? cellColour(value, isDelta ? rangeD : rangeA, isDelta ? "error" : "value") : "";
        const label = known ? formatNumber(value, digits) : "";
        if (n.text.textContent !== label) n.text.textContent = label;
        n.title.textContent = known
          ? `${name}[${j}]${isDelta && name.startsWith("Δ") ? "" : perSample} = ${fullPrecision(value)}`
          : `layer ${l}, neuron ${j}: not computed yet in this step`;
      }
    }

    // edges: weights, or ∂C/∂w (gradients), or the change −η·∂C/∂w (update)
    const edgeData = visible.edges.slice(1).map(({ shows }, i) => ({ kind: shows, data: edgeValues(trace, shows, i + 1) }));
    const rangeOf = (kind) => Math.max(0, ...edgeData.filter((e) => e.kind === kind).map((e) => maxAbs(e.data)));
    const ranges = { w: rangeOf("w"), grad: rangeOf("grad"), change: rangeOf("change") };
    // Only what changed is written: consecutive steps often share most edges,
    // and a 16-wide network has hundreds of them. The active layer is shown by
    // its group's opacity (one element), not by a class on every edge.
    for (let l = 1; l <= L; l += 1) {
      const { kind, data } = edgeData[l - 1];
      const { active } = visible.edges[l];
      const group = edgeGroups[l];
      const opacity = active ? "1" : "0.45";
      if (group.style.opacity !== opacity) group.style.opacity = opacity;
      if (group.dataset.active !== String(active)) group.dataset.active = String(active);
      for (let j = 0; j < layers[l]; j += 1) {
        for (let k = 0; k < layers[l - 1]; k += 1) {
          const e = edges[l][j][k];
          const value = data[j][k];
          const neg = typeof value === "number" && value < 0;
          const width = edgeWidth(value, ranges[kind]).toFixed(2);
          const cls = `edge edge--${kind}${neg ? " edge--neg" : " edge--pos"}`;
          if (e.width !== width) e.line.setAttribute("stroke-width", (e.width = width));
          if (e.cls !== cls) e.line.setAttribute("class", (e.cls = cls)); // (markPick below marks it again)
          if (e.value !== value) {
            e.value = value;
            e.line.dataset.value = fullPrecision(value);
          }
          if (e.kind !== kind) {
            e.kind = kind;
            e.titled = false;
          }
          if (e.value !== e.titledValue) e.titled = false;
        }
      }
    }

    // Arrowheads at the neurons that receive the flow: pointing right into
    // layer l while forward, pointing left out of the layer δ reaches while backward.
    const { positions, radius } = geo;
    const heads = [];
    // dir > 0: on the left of the neuron, pointing right (forward, into it);
    // dir < 0: on its right, pointing left (the error arriving from the right).
    const arrowAt = (l, dir) => {
      for (const { x, y } of positions[l]) {
        const tip = dir > 0 ? x - radius - 2 : x + radius + 2;
        const base = tip - dir * 13;
        heads.push(`M${tip},${y} L${base},${y - 7} L${base},${y + 7} Z`);
      }
    };
    if (visible.arrows) arrowAt(visible.arrows.layer, visible.arrows.direction === "forward" ? 1 : -1);
    const flowText =
      phase === "forward" ? "a flows forward →" : phase === "update" ? "W ← W − η∂C/∂W" : "← δ flows backward";
    if (flowLabel.textContent !== flowText) flowLabel.textContent = flowText;
    const d = heads.join(" ");
    if (arrows.dataset.d !== d) {
      arrows.dataset.d = d;
      arrows.replaceChildren();
      if (d) {
        const path = el("path", { d, class: visible.arrows.direction === "forward" ? "arrow arrow--fwd" : "arrow arrow--back" });
        arrows.append(path);
      }
    }

    caption.textContent = {
      forward: `Forward: neurons show the activations a${m > 1 ? ` of sample ${sample}` : ""}; edges are the weights (solid positive, dashed negative; thicker is larger |w|).`,
      output_error: `Output error: neurons show δ${m > 1 ? ` of sample ${sample}` : ""} in the error colours; the flow now runs backward.`,
      backward: `Backward: δ flows from layer ${layer + 1} back to layer ${layer} along the weights (arrows point backward).`,
      gradients: `Gradients: edges from layer ${layer} up show ∂C/∂w (batch average); neurons show δ.`,
      update: `Update: edges from layer ${layer} up show the change −η·∂C/∂w; neurons show the bias change.`,
    }[phase];
    markPick();
  }

  /** An edge's tooltip, written when it is first hovered after a change. */
  function titleEdge(line) {
    const [l, j, k] = line.dataset.edge.split(":").map(Number);
    const e = edges[l][j][k];
    if (e.titled) return;
    e.title.textContent = edgeName(l, j, k, e);
    e.titled = true;
    e.titledValue = e.value;
  }
  function edgeName(l, j, k, e) {
    const wname = `W${sup(l)}[${j}][${k}]`;
    const v = fullPrecision(e.value);
    if (e.kind === "w") return `${wname} = ${v}`;
    if (e.kind === "grad") return `∂C/∂${wname} = ${v}`;
    return `change of ${wname} = −η·∂C/∂${wname} = ${v}`;
  }
  // the front SVG lets pointer events through where it has nothing drawn
  back.addEventListener("mouseover", (event) => {
    const line = event.target.closest?.("[data-edge]");
    if (line) titleEdge(line);
  });

  const nodeOf = (target) => {
    if (target?.neuron) return svg.querySelector(`[data-neuron="${target.neuron.join(":")}"]`);
    if (target?.edge) return back.querySelector(`[data-edge="${target.edge.join(":")}"]`);
    return null;
  };
  const layersNow = () => store.state.session?.trace.network.layers ?? [];

  function onHover(e) {
    for (const node of hovered) node.classList.remove("hover");
    hovered = [];
    const detail = e.detail;
    const L = layersNow().length - 1;
    const targets = detail?.refs ? detail.refs.flatMap((ref) => refTargets(ref, L)) : detail?.diagram ? [detail.diagram] : [];
    for (const target of targets) {
      const node = nodeOf(target);
      if (!node) continue;
      if (target.edge) titleEdge(node);
      node.classList.add("hover");
      hovered.push(node);
    }
  }

  // ------------------------------------------------------------ picking

  // The picked entry's neuron or edge, and its operands' (the engine's terms).
  function markPick() {
    marks.clear();
    const { pick } = store.state;
    if (!pick || !geo) return;
    const L = layersNow().length - 1;
    const operands = pick.terms ? refsOf(pick.terms.expression).flatMap((ref) => refTargets(ref, L)) : [];
    marks.mark(operands.map(nodeOf), "pick-operand");
    const entry = pick.diagram ? [pick.diagram] : pick.ref ? refTargets(pick.ref, L) : [];
    marks.mark(entry.map(nodeOf), "pick-entry");
  }

  /** What the diagram itself shows at a neuron or an edge, for an entry the equation does not show. */
  function readout(target) {
    const { sample, perSample } = shown;
    if (target.neuron) {
      const [l, j] = target.neuron;
      const { name, v } = shown.values[l];
      if (!v) return { name: `layer ${l}, neuron ${j}`, value: null, pending: true, ref: null };
      const quantity = NEURON_REF[shown.shows[l]];
      const sampled = quantity !== "b_new";
      return {
        name: `${name}[${j}]${sampled && perSample ? ` of sample ${sample}` : ""}`,
        value: v[j],
        ref: { quantity, layer: l, index: sampled ? [j, sample] : [j] },
      };
    }
    const [l, j, k] = target.edge;
    const e = edges[l][j][k];
    return { name: edgeName(l, j, k, e).split(" = ")[0], value: e.value, ref: { quantity: EDGE_REF[e.kind], layer: l, index: [j, k] } };
  }

  /**
   * Pick what a neuron or an edge shows: the equation's cells that show it light
   * up, and the one this step computes (the last result, e.g. a rather than z)
   * opens; with no cell, the diagram's own value is read out.
   */
  function pickTarget(target, t0) {
    const { session, focus } = store.state;
    if (!session || !actions) return;
    const sample = focus ?? 0;
    const step = session.steps[session.cursor.index];
    const lines = equationLines(step, session.trace, { cost: session.config?.cost, sample });
    const cells = findCells(lines, target, sample);
    const entry = [...cells].reverse().find((c) => c.role === "result") ?? cells[0];
    if (!entry) {
      actions.pick({ entry: null, cells: [], diagram: target, ...readout(target), t0 });
      return;
    }
    const term = lines[entry.line].terms.find((t) => t.kind === "matrix" && t.key === entry.key);
    const { line, key, row, col } = entry;
    actions.pick({ entry: { line, key, row, col }, cells, ...describeCell(term, row, col), diagram: target, t0 });
  }

  diagram.addEventListener("click", (event) => {
    if (!geo) return;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(back.getScreenCTM().inverse());
    const target = targetAt(geo.positions, geo.radius, point.x, point.y, 10 * unitsPerPx);
    if (target) pickTarget(target, event.timeStamp);
  });

  // Keyboard: the diagram is one tab stop; the arrow keys move between
  // neurons (↑↓ within a layer, ←→ across layers), Enter or Space picks one.
  svg.setAttribute("tabindex", "0");
  svg.setAttribute("role", "group"); // interactive, so not an image: its caption still labels it
  let cursor = null; // [l, j]
  function showCursor() {
    for (const node of svg.querySelectorAll(".neuron--cursor")) node.classList.remove("neuron--cursor");
    if (cursor) nodeOf({ neuron: cursor })?.classList.add("neuron--cursor");
  }
  svg.addEventListener("focus", () => {
    const layers = layersNow();
    if (!cursor || !layers[cursor[0]] || cursor[1] >= layers[cursor[0]]) {
      const session = store.state.session;
      cursor = [session ? session.steps[session.cursor.index].layer : 0, 0];
    }
    showCursor();
  });
  svg.addEventListener("blur", () => {
    for (const node of svg.querySelectorAll(".neuron--cursor")) node.classList.remove("neuron--cursor");
  });
  svg.addEventListener("keydown", (event) => {
    const layers = layersNow();
    const moves = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
    if (!cursor || layers.length === 0) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      event.stopPropagation();
      pickTarget({ neuron: cursor }, event.timeStamp);
      return;
    }
    if (!moves[event.key] || event.shiftKey) return;
    event.preventDefault();
    event.stopPropagation(); // the page's arrow keys step the iteration
    const [dl, dj] = moves[event.key];
    const l = Math.min(Math.max(cursor[0] + dl, 0), layers.length - 1);
    cursor = [l, Math.min(Math.max(cursor[1] + dj, 0), layers[l] - 1)];
    showCursor();
    store.hover({ diagram: { neuron: cursor } });
  });

  // The labels' scale follows the diagram's drawn size.
  function fitLabels() {
    const box = back.getBoundingClientRect();
    const scale = Math.min(box.width / W, box.height / H);
    if (!(scale > 0)) return;
    unitsPerPx = 1 / scale;
    diagram.style.setProperty("--k", unitsPerPx.toFixed(4));
    render(); // rebuilds when the labels need other room
  }
  new ResizeObserver(fitLabels).observe(back);

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("session") || k.includes("focus") || k.includes("digits")) render();
    else if (k.includes("pick")) markPick();
    if (k.includes("presenting")) fitLabels();
  });
  store.addEventListener("hover", onHover);
  return { render };
}
