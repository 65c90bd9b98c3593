// The network diagram (SVG): neurons in columns, edges by sign and |value|.
// forward: neurons show a; output_error/backward/gradients: δ in the error
// colours with the flow drawn backward; gradients: edges show ∂C/∂w; update:
// edges show the change −η·∂C/∂w (phases.js's visibleAt says which, at each
// step). Hover titles name every value.
import { deltaOf, activationOf } from "../equation.js";
import { cellColour, formatNumber, fullPrecision, maxAbs, sup } from "../format.js";
import { edgeLine, edgeWidth, neuronPositions } from "../layout.js";
import { visibleAt } from "../phases.js";

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

export function mountNetwork(root, store) {
  // Two stacked SVGs: the back one holds the layer bands and the edges (which
  // change only at phase changes), the front one the neurons, arrows and
  // labels (which change every step). A change inside an SVG makes the
  // browser re-measure all of that SVG's children; this way a step does not
  // re-measure hundreds of edges.
  const back = root.querySelector("svg[data-diagram-edges]");
  const svg = root.querySelector("svg[data-diagram]");
  const caption = root.querySelector("[data-diagram-caption]");
  let shapeKey = "";
  let geo = null;
  const neurons = []; // neurons[l][j] = {g, circle, text, title}
  const edges = []; // edges[l][j][k] = {line, title}
  let bands = [];
  let edgeGroups = [];
  let arrows = null;
  let flowLabel = null;
  let hovered = [];

  function build(layers) {
    svg.replaceChildren();
    back.replaceChildren();
    back.setAttribute("viewBox", `0 0 ${W} ${H}`);
    neurons.length = 0;
    edges.length = 0;
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);

    geo = neuronPositions(layers, W, H - 34, { padX: 56, padY: 44 });
    const { positions, radius } = geo;

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
      const label = el("text", { x, y: H - 12, class: "layer-label", "text-anchor": "middle" });
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
    flowLabel = el("text", { x: W / 2, y: 16, "text-anchor": "middle", class: "flow-label" });
    svg.append(flowLabel);

    const nodeG = el("g", { class: "neurons" });
    const showText = radius >= 15;
    layers.forEach((n, l) => {
      const col = [];
      for (let j = 0; j < n; j += 1) {
        const { x, y } = positions[l][j];
        const g = el("g", { class: "neuron" });
        g.dataset.neuron = `${l}:${j}`;
        const circle = el("circle", { cx: x, cy: y, r: radius });
        const title = el("title");
        const text = el("text", { x, y: y + 4, "text-anchor": "middle", class: "neuron-value" });
        g.append(title, circle);
        if (showText) g.append(text);
        nodeG.append(g);
        col.push({ g, circle, text, title });
      }
      neurons.push(col);
    });
    svg.append(nodeG);
  }

  function render() {
    const { session, focus } = store.state;
    if (!session) return;
    const trace = session.trace;
    const layers = trace.network.layers;
    const L = layers.length - 1;
    const key = layers.join("-");
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
        n.text.textContent = known ? formatNumber(value, 2) : "";
        n.text.classList.toggle("light", known && Math.abs(value ?? 0) > 0.55 * (isDelta ? rangeD : rangeA));
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
          if (e.cls !== cls) e.line.setAttribute("class", (e.cls = cls));
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
  }

  /** An edge's tooltip, written when it is first hovered after a change. */
  function titleEdge(line) {
    const [l, j, k] = line.dataset.edge.split(":").map(Number);
    const e = edges[l][j][k];
    if (e.titled) return;
    const wname = `W${sup(l)}[${j}][${k}]`;
    const v = fullPrecision(e.value);
    e.title.textContent =
      e.kind === "w"
        ? `${wname} = ${v}`
        : e.kind === "grad"
          ? `∂C/∂${wname} = ${v}`
          : `change of ${wname} = −η·∂C/∂${wname} = ${v}`;
    e.titled = true;
    e.titledValue = e.value;
  }
  // the front SVG lets pointer events through where it has nothing drawn
  back.addEventListener("mouseover", (event) => {
    const line = event.target.closest?.("[data-edge]");
    if (line) titleEdge(line);
  });

  function onHover(e) {
    for (const node of hovered) node.classList.remove("hover");
    hovered = [];
    const target = e.detail?.diagram;
    if (!target) return;
    let node = null;
    if (target.neuron) node = svg.querySelector(`[data-neuron="${target.neuron.join(":")}"]`);
    if (target.edge) {
      node = back.querySelector(`[data-edge="${target.edge.join(":")}"]`);
      if (node) titleEdge(node);
    }
    if (node) {
      node.classList.add("hover");
      hovered.push(node);
    }
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("session") || k.includes("focus")) render();
  });
  store.addEventListener("hover", onHover);
  return { render };
}
