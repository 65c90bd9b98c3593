// The network diagram's dense parts, painted on canvases under its front SVG:
// the edges of a layer pair with too many to keep as SVG lines (64-256-256-10
// has 84,480: as lines, a step spent over a second restyling and laying them
// out), and the layers drawn as strips of cells (stripLayers in layout.js).
// One canvas per layer pair, so a step repaints only the pairs whose numbers
// changed, and the active pair's emphasis is the canvas's CSS opacity, as it
// is an SVG group's. Canvases are sized in device pixels (crisp on HiDPI
// screens); the colours, opacity and dashes are read from the same CSS rules
// that style the SVG lines and circles, so themes and presentation mode apply
// to both alike.
import { CROWD, edgeGroups, edgeLine, largestEdges, meetTransform, stripCell } from "../layout.js";

const SVG = "http://www.w3.org/2000/svg";
const PAD = 4; // viewBox units beyond a pair's columns: a wide edge's end pokes out a little

/** A hidden SVG element with `classes`, inside `host`, for reading the CSS that styles such elements. */
function probe(host, tag, classes) {
  const node = document.createElementNS(SVG, tag);
  node.setAttribute("class", classes);
  host.append(node);
  return node;
}

/** The CSS of every look the canvases draw, read from probes styled like the SVG's own elements. */
function readStyles(host) {
  const box = document.createElementNS(SVG, "g");
  box.setAttribute("style", "display: none");
  host.append(box);
  const edges = {};
  for (const kind of ["w", "grad", "change"]) {
    for (const sign of ["pos", "neg"]) {
      const s = getComputedStyle(probe(box, "line", `edge edge--${kind} edge--${sign}`));
      const dash = s.strokeDasharray === "none" ? [] : s.strokeDasharray.split(/[ ,]+/).map(Number.parseFloat);
      edges[`${kind}:${sign}`] = { colour: s.stroke, alpha: Number(s.strokeOpacity), dash };
    }
  }
  const strips = {};
  for (const [state, cls] of [["value", ""], ["error", " neuron--error"], ["pending", " neuron--pending"]]) {
    const g = probe(box, "g", `neuron${cls}`);
    const s = getComputedStyle(probe(g, "circle", ""));
    strips[state] = { stroke: s.stroke, width: Number.parseFloat(s.strokeWidth), fill: s.fill };
  }
  box.remove();
  return { edges, strips, band: getComputedStyle(host).getPropertyValue("--muted").trim() || "grey" };
}

function makeCanvas(className) {
  const canvas = document.createElement("canvas");
  canvas.className = className;
  canvas.setAttribute("aria-hidden", "true");
  return canvas;
}

/** True when two Wˡ-shaped matrices hold the same numbers (the trace keeps its arrays within an iteration). */
function sameValues(a, b) {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let j = 0; j < a.length; j += 1) {
    const ra = a[j];
    const rb = b[j];
    for (let k = 0; k < ra.length; k += 1) if (!Object.is(ra[k], rb[k])) return false;
  }
  return true;
}

/**
 * Canvases right after `back` (the diagram's SVG of bands and sparse edges),
 * drawing in its viewBox units (`width` × `height`).
 */
export function diagramCanvas(back, width, height) {
  let geo = null; // {positions, radius}
  let pairs = new Map(); // l → {l, canvas, ctx, x0, x1, kind, data, range, drawn}
  const strip = { canvas: makeCanvas("diagram-canvas diagram-canvas--strips"), layers: [], drawn: false };
  let box = null; // the diagram's size in CSS px, null while hidden or not yet measured
  let styles = null;

  /** A new drawing: the pairs in `canvasPairs` get canvases; the layers flagged in `strips` are strips. */
  function build(geometry, canvasPairs, strips) {
    geo = geometry;
    for (const p of pairs.values()) p.canvas.remove();
    pairs = new Map();
    for (const l of canvasPairs) pairs.set(l, newPair(l));
    strip.layers = strips.map((isStrip) => (isStrip ? { colours: [], state: "value" } : null));
    strip.drawn = false;
    strip.canvas.remove();
    back.after(...[...pairs.values()].map((p) => p.canvas), strip.canvas);
    place();
  }

  function newPair(l) {
    const { positions } = geo;
    const canvas = makeCanvas("diagram-canvas");
    canvas.dataset.edgeLayer = String(l);
    const x0 = positions[l - 1][0].x - PAD;
    const x1 = positions[l][0].x + PAD;
    return { l, canvas, ctx: canvas.getContext("2d"), x0, x1, kind: null, data: null, range: null, drawn: false };
  }

  /**
   * Size and place every canvas over its part of the viewBox, in whole CSS
   * pixels (a canvas on a fractional pixel would be resampled, blurred).
   */
  function place() {
    if (!box || !geo) return;
    const t = meetTransform(width, height, box.width, box.height);
    const dpr = window.devicePixelRatio || 1;
    const fit = (canvas, x0, x1) => {
      const left = Math.floor(t.x + x0 * t.scale);
      const top = Math.floor(t.y);
      const w = Math.ceil(t.x + x1 * t.scale) - left;
      const h = Math.ceil(t.y + height * t.scale) - top;
      Object.assign(canvas.style, { left: `${left}px`, top: `${top}px`, width: `${w}px`, height: `${h}px` });
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      // viewBox units → this canvas's device pixels
      return [t.scale * dpr, (t.x - left) * dpr, (t.y - top) * dpr];
    };
    for (const p of pairs.values()) {
      p.transform = fit(p.canvas, p.x0, p.x1);
      p.drawn = false;
    }
    strip.transform = fit(strip.canvas, 0, width);
    strip.drawn = false;
  }

  /** The diagram's drawn size changed (null: it is hidden): every canvas is sized again and repainted. */
  function resize(size) {
    box = size && size.width > 0 && size.height > 0 ? size : null;
    place();
  }

  /** The theme or presentation mode changed: read the colours again and repaint. */
  function restyle() {
    styles = null;
    for (const p of pairs.values()) p.drawn = false;
    strip.drawn = false;
  }

  /** What pair l shows now: {kind: "w" | "grad" | "change", data (Wˡ-shaped), range, active}. */
  function setEdges(l, { kind, data, range, active }) {
    const p = pairs.get(l);
    const opacity = active ? "" : "0.45";
    if (p.canvas.style.opacity !== opacity) p.canvas.style.opacity = opacity;
    if (p.drawn && p.kind === kind && p.range === range && sameValues(p.data, data)) return;
    Object.assign(p, { kind, data, range, drawn: false });
  }

  /** What strip layer l shows: one CSS colour per neuron (null: not computed yet) and its state ("value" | "error" | "pending"). */
  function setStrip(l, colours, state) {
    const s = strip.layers[l];
    if (s.state === state && s.colours.length === colours.length && s.colours.every((c, j) => c === colours[j])) return;
    strip.layers[l] = { colours, state };
    strip.drawn = false;
  }

  function drawPair(p) {
    const { ctx, canvas, data, range, l } = p;
    const [s, dx, dy] = p.transform;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(s, 0, 0, s, dx, dy);
    const drawn = largestEdges(data, CROWD);
    if (drawn.length < data.length * data[0].length) drawBand(ctx, l);
    const { order, groups } = edgeGroups(data, range, drawn);
    const cols = data[0].length;
    for (const g of groups) {
      const look = styles.edges[`${p.kind}:${g.neg ? "neg" : "pos"}`];
      ctx.strokeStyle = look.colour;
      ctx.globalAlpha = look.alpha;
      ctx.setLineDash(look.dash);
      ctx.lineWidth = g.width;
      ctx.beginPath();
      for (let i = g.start; i < g.end; i += 1) {
        const e = order[i];
        const { x1, y1, x2, y2 } = edgeLine(geo.positions, geo.radius, l, Math.floor(e / cols), e % cols);
        ctx.moveTo(x1, y1);
        ctx.lineTo(x2, y2);
      }
      ctx.stroke();
    }
    p.drawn = true;
  }

  /** Where all of pair l's edges run (every neuron of l − 1 meets every neuron of l): a grey band. */
  function drawBand(ctx, l) {
    const left = geo.positions[l - 1];
    const right = geo.positions[l];
    ctx.fillStyle = styles.band;
    ctx.globalAlpha = 0.14;
    ctx.beginPath();
    for (const { x, y } of [left[0], right[0], right[right.length - 1], left[left.length - 1]]) ctx.lineTo(x, y);
    ctx.fill();
  }

  function drawStrips() {
    const { ctx, canvas } = strip;
    const [s, dx, dy] = strip.transform;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(s, 0, 0, s, dx, dy);
    ctx.globalAlpha = 1;
    strip.layers.forEach((layer, l) => {
      if (!layer) return;
      const look = styles.strips[layer.state];
      layer.colours.forEach((colour, j) => {
        const cell = stripCell(geo.positions, geo.radius, l, j);
        ctx.fillStyle = colour ?? look.fill;
        ctx.fillRect(cell.x, cell.y, cell.width, cell.height + 0.05); // (no hairline between cells)
      });
      const first = stripCell(geo.positions, geo.radius, l, 0);
      const all = geo.positions[l].length * first.height;
      ctx.strokeStyle = look.stroke;
      ctx.lineWidth = look.width;
      ctx.setLineDash([]);
      ctx.strokeRect(first.x, first.y, first.width, all);
    });
    strip.drawn = true;
  }

  /** Paint what changed since the last paint (nothing while the diagram is hidden). */
  function paint() {
    if (!box || !geo) return;
    styles ??= readStyles(back);
    for (const p of pairs.values()) if (!p.drawn && p.data) drawPair(p);
    if (!strip.drawn && strip.layers.some(Boolean)) drawStrips();
  }

  strip.ctx = strip.canvas.getContext("2d");
  return { build, resize, restyle, setEdges, setStrip, paint, hasPair: (l) => pairs.has(l), isStrip: (l) => Boolean(strip.layers[l]) };
}
