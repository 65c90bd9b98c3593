// The network diagram: neurons in columns, edges by sign and |value|.
// forward: neurons show a; output_error/backward/gradients: δ in the error
// colours with the flow drawn backward; gradients: edges show ∂C/∂w; update:
// edges show the change −η·∂C/∂w (phases.js's visibleAt says which, at each
// step). Each neuron's value is written under it with the page's digits, at a
// size that stays readable however small the diagram is drawn. Clicking or
// tapping a neuron or an edge (or Enter on a neuron, moving with the arrow
// keys) picks the entry it shows: its cells light up in the equation and, where
// this step computes it, its expansion opens. Hover titles name every value.
//
// A small network is SVG throughout. A big one is painted where it is dense
// (views/diagram-canvas.js): a layer pair with more than CANVAS_EDGES edges on
// a canvas, a layer of overlapping circles as a strip of cells; a marked
// neuron or edge there gets an SVG stand-in (views/stand-ins.js). Clicks and
// taps find their target from the geometry (layout.js targetAt), whichever
// way it is drawn. A hidden diagram does no work until it shows again.
import { activationOf, deltaOf, describeCell, equationLines, findCells, stepLabel } from "../equation.js";
import { cellColour, formatNumber, fullPrecision, maxAbs, sup } from "../format.js";
import { CROWD, edgeLine, edgeWidth, labelledRadius, neuronPositions, stripCell, stripLayers, targetAt } from "../layout.js";
import { visibleAt } from "../phases.js";
import { refTargets, refsOf } from "../terms.js";
import { diagramCanvas } from "./diagram-canvas.js";
import { marker } from "./marks.js";
import { standIns } from "./stand-ins.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 600;
const H = 380;
// A layer pair with more edges than this is painted on a canvas: as SVG lines
// every edge is an element the browser restyles and lays out at each step
// (4-16-16-16-3's 16×16 pairs already cost more as lines than on a canvas).
const CANVAS_EDGES = 100;
// The classes that mark a neuron or an edge (a stand-in lives as long as one is on it).
const MARKS = ["hover", "pick-entry", "pick-operand", "neuron--cursor"];

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

/** W²[1][0] named as an edge showing `kind` shows it. */
function edgeName(kind, l, j, k, optimizer = null) {
  const wname = `W${sup(l)}[${j}][${k}]`;
  if (kind === "w") return wname;
  if (kind === "grad") return `∂C/∂${wname}`;
  return `change of ${wname} = −${stepLabel(optimizer, wname)}`;
}

/** The current trace's optimizer ({name, …}), null before the first state. */
const optimizerOf = (store) => store.state.session?.trace?.optimizer ?? null;

/** `count` of `items`, evenly spread from the first to the last (a strip's arrows: one per neuron would be a solid bar). */
const spread = (items, count) =>
  Array.from({ length: Math.min(count, items.length) }, (_, i) => items[Math.round((i * (items.length - 1)) / Math.max(1, count - 1))]);

const edgeClass = (kind, value) => `edge edge--${kind}${typeof value === "number" && value < 0 ? " edge--neg" : " edge--pos"}`;

// The entry a neuron or an edge shows, as the terms route names it (a change
// −η·∂C/∂… opens as the new weight or bias it makes).
const NEURON_REF = { a: "a", delta: "delta", bias_change: "b_new" };
const EDGE_REF = { w: "W", grad: "dC_dW", change: "W_new" };

export function mountNetwork(root, store, actions = null) {
  // Two stacked SVGs: the back one holds the layer bands and the edges (which
  // change only at phase changes), the front one the neurons, arrows and
  // labels (which change every step). A change inside an SVG makes the
  // browser re-measure all of that SVG's children; this way a step does not
  // re-measure hundreds of edges. The canvases go between the two.
  const back = root.querySelector("svg[data-diagram-edges]");
  const svg = root.querySelector("svg[data-diagram]");
  const diagram = back.parentElement;
  const caption = root.querySelector("[data-diagram-caption]");
  back.setAttribute("viewBox", `0 0 ${W} ${H}`); // its drawn size (and so the label scale) is known before the first build
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const painter = diagramCanvas(back, W, H);
  let shapeKey = "";
  let geo = null; // {positions, radius, labels, strips: [bool per layer], canvasPairs: Set of l}
  const neurons = []; // neurons[l][j] = {g, circle, text, title}; neurons[l] = null for a strip
  const edges = []; // edges[l][j][k] = {line, title, …}; edges[l] = null for a canvas pair
  let bands = [];
  let edgeLayers = [];
  let arrows = null;
  let flowLabel = null;
  let standIn = null;
  let hovered = [];
  const marks = marker(["pick-entry", "pick-operand"]);
  // what the last render showed (titles, a picked neuron's or edge's readout)
  let shown = { values: [], shows: [], edges: [], sample: 0, perSample: false, rangeA: 0, rangeD: 0 };
  let visible = false; // the diagram has a size (it is not display: none)
  // Labels are drawn at --label-px on screen whatever the diagram's scale:
  // their size in viewBox units is --label-px / scale (CSS: * var(--k)).
  let unitsPerPx = 1;
  let labelPx = 12.5;

  const labelUnits = () => labelPx * unitsPerPx;
  const readLabelPx = () => {
    labelPx = Number.parseFloat(getComputedStyle(diagram).getPropertyValue("--label-px")) || 12.5;
  };

  function build(layers) {
    svg.replaceChildren();
    back.replaceChildren();
    neurons.length = 0;
    edges.length = 0;

    const font = labelUnits();
    const base = neuronPositions(layers, W, H - 34, { padX: 56, padY: 44 });
    // room for a value under each neuron, above the layer names (at H − 12)
    const fit = labelledRadius(base.positions, base.radius, font * 1.2, H - 14 - font * 0.8);
    const canvasPairs = new Set(layers.flatMap((n, l) => (l > 0 && n * layers[l - 1] > CANVAS_EDGES ? [l] : [])));
    geo = { positions: base.positions, radius: fit.radius, labels: fit.labels, strips: stripLayers(base.positions, fit.radius), canvasPairs };
    back.append(buildBands(layers));
    back.append(buildEdges(layers));
    arrows = el("g", { class: "flow-arrows" });
    flowLabel = el("text", { x: W / 2, y: 3, "text-anchor": "middle", "dominant-baseline": "hanging", class: "flow-label" });
    const standG = el("g", { class: "stand-ins" }); // under the neurons, like the edges they stand in for
    const counts = geo.strips.flatMap((isStrip, l) => (isStrip ? [countLabel(l, layers[l])] : [])); // a strip's neurons cannot be counted by eye
    svg.append(arrows, flowLabel, standG, buildNeurons(layers), ...counts);
    standIn = standIns(standG, { make: makeStandIn, dress: dressStandIn, marks: MARKS });
    painter.build(geo, canvasPairs, geo.strips);
    hovered = [];
    marks.clear(); // (the marked elements are gone with the old drawing)
  }

  // A label wider than its column stays inside the drawing: the input layer's
  // start at its circles' left edge, the output layer's end at their right edge.
  function anchor(l, x) {
    const last = geo.positions.length - 1;
    if (l === 0) return { x: x - geo.radius, "text-anchor": "start" };
    if (l === last) return { x: x + geo.radius, "text-anchor": "end" };
    return { x, "text-anchor": "middle" };
  }

  function buildBands(layers) {
    const { positions, radius } = geo;
    const bandG = el("g", { class: "bands" });
    bands = layers.map((_, l) => {
      const x = positions[l][0].x;
      const rect = el("rect", { x: x - radius - 12, y: 24, width: 2 * radius + 24, height: H - 58, rx: 12, class: "band" });
      const label = el("text", { ...anchor(l, x), y: H - 12, class: "layer-label" });
      label.textContent = l === 0 ? "input (0)" : l === layers.length - 1 ? `output (${l})` : `layer ${l}`;
      bandG.append(rect, label);
      return rect;
    });
    return bandG;
  }

  /** "256 neurons" above a strip, or "256" where its neighbours leave no room for more. */
  function countLabel(l, n) {
    const { positions } = geo;
    const x = positions[l][0].x;
    const label = el("text", { ...anchor(l, x), y: stripCell(positions, geo.radius, l, 0).y - 4, class: "layer-count" });
    const room = Math.min(...[positions[l - 1], positions[l + 1]].filter(Boolean).map((c) => Math.abs(c[0].x - x)));
    const words = `${n} neurons`;
    label.textContent = words.length * 0.6 * labelUnits() < room - 4 * unitsPerPx ? words : String(n); // (0.6 em: a digit's width)
    return label;
  }

  /** The SVG edges (of the pairs not on a canvas), one group per layer pair. */
  function buildEdges(layers) {
    const edgeG = el("g", { class: "edges" });
    edges.push(null);
    edgeLayers = [null];
    for (let l = 1; l < layers.length; l += 1) {
      const group = el("g", { class: "edge-layer" });
      group.dataset.edgeLayer = String(l);
      edgeLayers.push(group);
      edges.push(geo.canvasPairs.has(l) ? null : buildLines(group, layers, l));
      edgeG.append(group);
    }
    return edgeG;
  }

  function buildLines(group, layers, l) {
    const rows = [];
    for (let j = 0; j < layers[l]; j += 1) {
      const row = [];
      for (let k = 0; k < layers[l - 1]; k += 1) {
        const line = el("line", { ...edgeLine(geo.positions, geo.radius, l, j, k), class: "edge" });
        line.dataset.edge = `${l}:${j}:${k}`;
        const title = el("title");
        line.append(title);
        group.append(line);
        row.push({ line, title, width: null, cls: null, value: undefined, titled: false, titledValue: undefined, titledKind: null }); // (titled*: what its tooltip says)
      }
      rows.push(row);
    }
    return rows;
  }

  function buildNeurons(layers) {
    const nodeG = el("g", { class: "neurons" });
    layers.forEach((n, l) => {
      if (geo.strips[l]) {
        neurons.push(null); // painted (diagram-canvas.js)
        return;
      }
      const col = [];
      for (let j = 0; j < n; j += 1) {
        const { x, y } = geo.positions[l][j];
        const g = el("g", { class: "neuron" });
        g.dataset.neuron = `${l}:${j}`;
        const circle = el("circle", { cx: x, cy: y, r: geo.radius });
        const title = el("title");
        // the value hangs under the circle (it no longer has to fit inside it)
        const text = el("text", { ...anchor(l, x), y: y + geo.radius + 3, "dominant-baseline": "hanging", class: "neuron-value" });
        g.append(title, circle);
        if (geo.labels) g.append(text);
        nodeG.append(g);
        col.push({ g, circle, text, title });
      }
      neurons.push(col);
    });
    return nodeG;
  }

  /** How neuron j of layer l looks at the step shown: {known, isDelta, value, colour, title}. */
  function neuronLook(l, j) {
    const { name, v, isDelta } = shown.values[l];
    if (!v) return { known: false, isDelta, value: undefined, colour: "", title: `layer ${l}, neuron ${j}: not computed yet in this step` };
    const value = v[j];
    const perSample = shown.perSample && !(isDelta && name.startsWith("Δ")) ? ` (sample ${shown.sample})` : "";
    const colour = cellColour(value, isDelta ? shown.rangeD : shown.rangeA, isDelta ? "error" : "value");
    return { known: true, isDelta, value, colour, title: `${name}[${j}]${perSample} = ${fullPrecision(value)}` };
  }

  function render() {
    const { session, focus } = store.state;
    if (!session) return;
    const trace = session.trace;
    const visibleStep = visibleAt(session.steps, session.cursor.index);
    const sample = focus ?? 0;
    const m = trace.batch.a0[0]?.length ?? 1;
    const layers = trace.network.layers;
    writeCaption(visibleStep.step, m, sample, layers);
    if (!visible) return; // drawn when it shows again (fitLabels)
    const key = `${layers.join("-")}@${labelUnits().toFixed(1)}`;
    if (key !== shapeKey) {
      build(layers);
      shapeKey = key;
    }
    svg.dataset.phase = visibleStep.step.phase;
    svg.dataset.flow = visibleStep.flow;
    back.dataset.flow = visibleStep.flow;
    root.dataset.scheme = visibleStep.errors ? "error" : "value";
    bands.forEach((rect, l) => {
      rect.classList.toggle("band--current", visibleStep.bands[l] === "current");
      rect.classList.toggle("band--source", visibleStep.bands[l] === "source");
    });
    shown = shownAt(trace, visibleStep, sample, m);
    renderNeurons(layers);
    renderEdges(layers);
    renderArrows(visibleStep);
    painter.paint();
    standIn.dressAll();
    markPick();
  }

  /** What the step shows, from the API's trace (sample `sample`): neuron values, edge values, their ranges. */
  function shownAt(trace, visibleStep, sample, m) {
    const values = visibleStep.neurons.map((shows, l) => neuronValues(trace, shows, l, sample)); // values[l] = {name, v, isDelta}
    const range = (isDelta) => Math.max(...values.filter((x) => x.v && x.isDelta === isDelta).map((x) => maxAbs(x.v)), 0);
    // edges[l] = {kind, data, active}: weights, or ∂C/∂w (gradients), or the change −η·∂C/∂w (update)
    const edgeData = visibleStep.edges.map((e, l) => (e ? { kind: e.shows, data: edgeValues(trace, e.shows, l), active: e.active } : null));
    const rangeOf = (kind) => Math.max(0, ...edgeData.filter((e) => e?.kind === kind).map((e) => maxAbs(e.data)));
    const ranges = { w: rangeOf("w"), grad: rangeOf("grad"), change: rangeOf("change") };
    return { values, shows: visibleStep.neurons, edges: edgeData, ranges, sample, perSample: m > 1, rangeA: range(false), rangeD: range(true) };
  }

  function renderNeurons(layers) {
    const { digits } = store.state;
    for (let l = 0; l < layers.length; l += 1) {
      if (!neurons[l]) {
        renderStrip(l);
        continue;
      }
      for (let j = 0; j < layers[l]; j += 1) {
        const n = neurons[l][j];
        const look = neuronLook(l, j);
        n.g.classList.toggle("neuron--pending", !look.known);
        n.g.classList.toggle("neuron--error", look.known && look.isDelta);
        n.g.dataset.value = look.known ? fullPrecision(look.value) : "";
        n.circle.style.fill = look.colour;
        const label = look.known ? formatNumber(look.value, digits) : "";
        if (n.text.textContent !== label) n.text.textContent = label;
        n.title.textContent = look.title;
      }
    }
  }

  function renderStrip(l) {
    const { v, isDelta } = shown.values[l];
    const range = isDelta ? shown.rangeD : shown.rangeA;
    const colours = v ? v.map((value) => cellColour(value, range, isDelta ? "error" : "value")) : geo.positions[l].map(() => null);
    painter.setStrip(l, colours, !v ? "pending" : isDelta ? "error" : "value");
  }

  // Only what changed is written: consecutive steps often share most edges,
  // and a 16-wide network has hundreds of them. The active layer is shown by
  // its group's opacity (one element), not by a class on every edge.
  function renderEdges(layers) {
    for (let l = 1; l < layers.length; l += 1) {
      const { kind, data, active } = shown.edges[l];
      const range = shown.ranges[kind];
      if (!edges[l]) {
        painter.setEdges(l, { kind, data, range, active });
        continue;
      }
      const group = edgeLayers[l];
      const opacity = active ? "1" : "0.45";
      if (group.style.opacity !== opacity) group.style.opacity = opacity;
      if (group.dataset.active !== String(active)) group.dataset.active = String(active);
      for (let j = 0; j < layers[l]; j += 1) {
        for (let k = 0; k < layers[l - 1]; k += 1) {
          const e = edges[l][j][k];
          const value = data[j][k];
          const width = edgeWidth(value, range).toFixed(2);
          const cls = edgeClass(kind, value);
          if (e.width !== width) e.line.setAttribute("stroke-width", (e.width = width));
          if (e.cls !== cls) e.line.setAttribute("class", (e.cls = cls)); // (markPick below marks it again)
          if (e.value !== value) {
            e.value = value;
            e.line.dataset.value = fullPrecision(value);
          }
        }
      }
    }
  }

  // Arrowheads at the neurons that receive the flow: pointing right into
  // layer l while forward, pointing left out of the layer δ reaches while backward.
  function renderArrows(visibleStep) {
    const { phase } = visibleStep.step;
    const { positions, radius } = geo;
    const heads = [];
    // dir > 0: on the left of the neuron, pointing right (forward, into it);
    // dir < 0: on its right, pointing left (the error arriving from the right).
    const arrowAt = (l, dir) => {
      for (const { x, y } of geo.strips[l] ? spread(positions[l], 7) : positions[l]) {
        const tip = dir > 0 ? x - radius - 2 : x + radius + 2;
        const base = tip - dir * 13;
        heads.push(`M${tip},${y} L${base},${y - 7} L${base},${y + 7} Z`);
      }
    };
    if (visibleStep.arrows) arrowAt(visibleStep.arrows.layer, visibleStep.arrows.direction === "forward" ? 1 : -1);
    const update = `W ← W − ${stepLabel(optimizerOf(store), "W")}`;
    const flowText = phase === "forward" ? "a flows forward →" : phase === "update" ? update : "← δ flows backward";
    if (flowLabel.textContent !== flowText) flowLabel.textContent = flowText;
    const d = heads.join(" ");
    if (arrows.dataset.d !== d) {
      arrows.dataset.d = d;
      arrows.replaceChildren();
      if (d) arrows.append(el("path", { d, class: visibleStep.arrows.direction === "forward" ? "arrow arrow--fwd" : "arrow arrow--back" }));
    }
  }

  function writeCaption({ phase, layer }, m, sample, layers) {
    const crowded = layers.some((n, l) => l > 0 && n * layers[l - 1] > CROWD)
      ? ` Where a layer pair has more than ${CROWD} edges, its ${CROWD} largest |values| are drawn, over a grey band where the others run.`
      : "";
    caption.textContent = {
      forward: `Forward: neurons show the activations a${m > 1 ? ` of sample ${sample}` : ""}; edges are the weights (solid positive, dashed negative; thicker is larger |w|).`,
      output_error: `Output error: neurons show δ${m > 1 ? ` of sample ${sample}` : ""} in the error colours; the flow now runs backward.`,
      backward: `Backward: δ flows from layer ${layer + 1} back to layer ${layer} along the weights (arrows point backward).`,
      gradients: `Gradients: edges from layer ${layer} up show ∂C/∂w (batch average); neurons show δ.`,
      update: `Update: edges from layer ${layer} up show the change −${stepLabel(optimizerOf(store), "w")}; neurons show the bias change.`,
    }[phase] + crowded;
  }

  /** An edge's name and value as the step shows it: "∂C/∂W²[1][0] = 0.0123". */
  function edgeTitle(l, j, k) {
    const { kind, data } = shown.edges[l];
    return `${edgeName(kind, l, j, k, optimizerOf(store))} = ${fullPrecision(data[j][k])}`;
  }

  /** An SVG edge's tooltip, written when it is first hovered after a change. */
  function titleEdge(line) {
    const [l, j, k] = line.dataset.edge.split(":").map(Number);
    const e = edges[l]?.[j]?.[k];
    if (!e || (e.titled && e.titledValue === e.value && e.titledKind === shown.edges[l].kind)) return;
    e.title.textContent = edgeTitle(l, j, k);
    e.titled = true;
    e.titledValue = e.value;
    e.titledKind = shown.edges[l].kind;
  }
  // the front SVG lets pointer events through where it has nothing drawn
  back.addEventListener("mouseover", (event) => {
    const line = event.target.closest?.("[data-edge]");
    if (line) titleEdge(line);
  });

  // ------------------------------------------------------------ stand-ins

  function makeStandIn(target) {
    if (target.edge) {
      const [l, j, k] = target.edge;
      const line = el("line", edgeLine(geo.positions, geo.radius, l, j, k));
      line.dataset.edge = target.edge.join(":");
      return line;
    }
    const [l, j] = target.neuron;
    const { x, y } = geo.positions[l][j];
    const g = el("g", { class: "neuron" });
    g.dataset.neuron = target.neuron.join(":");
    g.append(el("title"), el("circle", { cx: x, cy: y, r: geo.radius }));
    return g;
  }

  /** A stand-in takes the look the step gives its neuron or edge (its marks stay). */
  function dressStandIn(node, target) {
    if (target.edge) {
      const [l, j, k] = target.edge;
      const { kind, data } = shown.edges[l];
      const marked = MARKS.filter((cls) => node.classList.contains(cls));
      node.setAttribute("class", [edgeClass(kind, data[j][k]), ...marked].join(" "));
      node.dataset.value = fullPrecision(data[j][k]);
      return;
    }
    const look = neuronLook(...target.neuron);
    node.classList.toggle("neuron--pending", !look.known);
    node.classList.toggle("neuron--error", look.known && look.isDelta);
    node.dataset.value = look.known ? fullPrecision(look.value) : "";
    node.lastChild.style.fill = look.colour;
    node.firstChild.textContent = look.title;
  }

  /** The element that shows a neuron or an edge: its own, or a stand-in where it is painted. */
  function nodeOf(target) {
    if (!geo) return null;
    const { positions } = geo;
    if (target?.neuron) {
      const [l, j] = target.neuron;
      if (!positions[l] || !(j < positions[l].length)) return null;
      return neurons[l] ? neurons[l][j].g : standIn.get(target);
    }
    if (target?.edge) {
      const [l, j, k] = target.edge;
      if (!(l >= 1 && l < positions.length && j < positions[l].length && k < positions[l - 1].length)) return null;
      return edges[l] ? edges[l][j][k].line : standIn.get(target);
    }
    return null;
  }
  const layersNow = () => store.state.session?.trace.network.layers ?? [];

  function onHover(e) {
    for (const node of hovered) node.classList.remove("hover");
    hovered = [];
    const detail = e.detail;
    const L = layersNow().length - 1;
    const targets = detail?.refs ? detail.refs.flatMap((ref) => refTargets(ref, L)) : detail?.diagram ? [detail.diagram] : [];
    if (!visible) return;
    for (const target of targets) {
      const node = nodeOf(target);
      if (!node) continue;
      if (target.edge) titleEdge(node);
      node.classList.add("hover");
      hovered.push(node);
    }
    standIn?.prune();
  }

  // ------------------------------------------------------------ picking

  // The picked entry's neuron or edge, and its operands' (the engine's terms).
  function markPick() {
    marks.clear();
    const { pick } = store.state;
    if (pick && geo && visible) {
      const L = layersNow().length - 1;
      const operands = pick.terms ? refsOf(pick.terms.expression).flatMap((ref) => refTargets(ref, L)) : [];
      marks.mark(operands.map(nodeOf), "pick-operand");
      const entry = pick.diagram ? [pick.diagram] : pick.ref ? refTargets(pick.ref, L) : [];
      marks.mark(entry.map(nodeOf), "pick-entry");
    }
    standIn?.prune();
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
    const { kind, data } = shown.edges[l];
    return { name: edgeName(kind, l, j, k, optimizerOf(store)).split(" = ")[0], value: data[j][k], ref: { quantity: EDGE_REF[kind], layer: l, index: [j, k] } };
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

  /** The neuron or edge at a point of the screen (a click, a tap, the mouse), or null. */
  function targetAtClient(clientX, clientY) {
    if (!geo || !visible) return null;
    const point = new DOMPoint(clientX, clientY).matrixTransform(back.getScreenCTM().inverse());
    return targetAt(geo.positions, geo.radius, point.x, point.y, 10 * unitsPerPx);
  }

  diagram.addEventListener("click", (event) => {
    const target = targetAtClient(event.clientX, event.clientY);
    if (target) pickTarget(target, event.timeStamp);
  });

  // Painted neurons and edges have no <title>: the diagram's own title names
  // the one under the mouse (written once a frame at most).
  let tipAt = null;
  diagram.addEventListener("pointermove", (event) => {
    if (event.pointerType !== "mouse" || !geo) return;
    if (!tipAt) requestAnimationFrame(writeTip);
    tipAt = [event.clientX, event.clientY];
  });
  function writeTip() {
    const target = tipAt && targetAtClient(...tipAt);
    tipAt = null;
    const painted = target && (target.edge ? !edges[target.edge[0]] : !neurons[target.neuron[0]]);
    if (!painted) diagram.removeAttribute("title");
    else diagram.title = target.edge ? edgeTitle(...target.edge) : neuronLook(...target.neuron).title;
  }

  // Keyboard: the diagram is one tab stop; the arrow keys move between
  // neurons (↑↓ within a layer, ←→ across layers), Enter or Space picks one.
  svg.setAttribute("tabindex", "0");
  svg.setAttribute("role", "group"); // interactive, so not an image: its caption still labels it
  let cursor = null; // [l, j]
  let cursorNode = null;
  function showCursor(on = true) {
    cursorNode?.classList.remove("neuron--cursor");
    cursorNode = on && cursor ? nodeOf({ neuron: cursor }) : null;
    cursorNode?.classList.add("neuron--cursor");
    standIn?.prune();
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
    showCursor(false);
    store.hover(null); // the cursor's hover goes with it, as a table's does (views/equation.js)
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

  // The labels' scale and the canvases' size follow the diagram's drawn size;
  // a diagram with no size (hidden) is left alone until it has one again.
  function fitLabels() {
    const box = back.getBoundingClientRect();
    const scale = Math.min(box.width / W, box.height / H);
    visible = scale > 0;
    painter.resize(visible ? box : null);
    if (!visible) return;
    unitsPerPx = 1 / scale;
    diagram.style.setProperty("--k", unitsPerPx.toFixed(4));
    render(); // rebuilds when the labels need other room
  }
  new ResizeObserver(fitLabels).observe(back);
  // The theme and presentation mode (attributes on <html>) change the labels'
  // size and the painted colours; read once they are set, not at every step.
  new MutationObserver(() => {
    readLabelPx();
    painter.restyle();
    fitLabels();
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "data-present"] });
  readLabelPx();

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("session") || k.includes("focus") || k.includes("digits")) render();
    else if (k.includes("pick")) markPick();
  });
  store.addEventListener("hover", onHover);
  return { render };
}
