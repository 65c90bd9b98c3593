// Pure geometry for the network diagram: where each neuron sits and how an
// edge is drawn. No DOM.

/**
 * Neuron centres for `layers` (sizes n0 … nL) inside a width × height box.
 * Returns positions[l][j] = {x, y}, and the radius used.
 */
export function neuronPositions(layers, width, height, opts = {}) {
  const padX = opts.padX ?? 48;
  const padY = opts.padY ?? 28;
  const widest = Math.max(...layers);
  const innerH = height - 2 * padY;
  const gap = widest > 1 ? innerH / (widest - 1) : innerH;
  const radius = Math.max(5, Math.min(opts.maxRadius ?? 26, gap * 0.38, (width / layers.length) * 0.2));
  const columns = layers.length;
  const positions = layers.map((n, l) => {
    const x = columns > 1 ? padX + ((width - 2 * padX) * l) / (columns - 1) : width / 2;
    const span = (n - 1) * Math.min(gap, opts.maxGap ?? 110);
    const top = height / 2 - span / 2;
    return Array.from({ length: n }, (_, j) => ({ x, y: n > 1 ? top + (span * j) / (n - 1) : height / 2 }));
  });
  return { positions, radius };
}

const EDGE_MIN = 0.6;
const EDGE_MAX = 7;

/** Stroke width for |value| against the largest |value| shown (range). */
export function edgeWidth(value, range, min = EDGE_MIN, max = EDGE_MAX) {
  if (typeof value !== "number" || !Number.isFinite(value) || !(range > 0)) return min;
  return min + (max - min) * Math.min(1, Math.abs(value) / range);
}

/**
 * The most edges of a layer pair drawn one by one (a 16×16 pair). Past that
 * the lines cover one another until a pair is one blot of the colour drawn
 * last, whatever its numbers: a canvas then draws the CROWD largest |value|s
 * over a grey band where the rest run.
 */
export const CROWD = 256;

/** |v| for ordering edges by size: 0 for a missing (null) value. */
const size = (v) => (typeof v === "number" && !Number.isNaN(v) ? Math.abs(v) : 0);

/**
 * The `count` edges of a layer pair with the largest |value|s (all of them
 * if it has no more), as edge indices: edge e is values[⌊e / cols⌋][e % cols]
 * (`values` is Wˡ-shaped, rows j, columns k).
 */
export function largestEdges(values, count) {
  const cols = values.length ? values[0].length : 0;
  const n = values.length * cols;
  if (n <= count) return Int32Array.from({ length: n }, (_, e) => e);
  const sizes = new Float64Array(n);
  values.forEach((row, j) => row.forEach((v, k) => (sizes[j * cols + k] = size(v))));
  const threshold = Float64Array.from(sizes).sort()[n - count]; // the count-th largest
  const chosen = new Int32Array(count);
  let at = 0;
  for (let e = 0; e < n && at < count; e += 1) if (sizes[e] > threshold) chosen[at++] = e;
  for (let e = 0; e < n && at < count; e += 1) if (sizes[e] === threshold) chosen[at++] = e; // ties: the first ones
  return chosen;
}

/**
 * Edges of a layer pair grouped for a canvas, which strokes one path per
 * group: by sign, and by width rounded to `step` (a canvas path has one line
 * width; a quarter of a viewBox unit is under a screen pixel). `edges` are
 * edge indices into the Wˡ-shaped `values` (as largestEdges gives them).
 * Returns {order: edge indices, group after group; groups: [{neg, width,
 * start, end}] (order[start … end) is the group), thinnest first, so the
 * widest, largest-|value| edges are drawn on top}.
 */
export function edgeGroups(values, range, edges, step = 0.25) {
  const cols = values.length ? values[0].length : 0;
  const levels = Math.round((EDGE_MAX - EDGE_MIN) / step) + 1;
  const keys = new Int32Array(edges.length);
  const counts = new Int32Array(2 * levels);
  edges.forEach((e, i) => {
    const v = values[Math.floor(e / cols)][e % cols];
    const level = Math.round((edgeWidth(v, range) - EDGE_MIN) / step);
    const key = 2 * level + (typeof v === "number" && v < 0 ? 1 : 0); // widths ascending, both signs each
    keys[i] = key;
    counts[key] += 1;
  });
  const starts = new Int32Array(counts.length);
  const groups = [];
  let at = 0;
  counts.forEach((count, key) => {
    starts[key] = at;
    const width = Math.min(EDGE_MAX, EDGE_MIN + Math.floor(key / 2) * step);
    if (count > 0) groups.push({ neg: key % 2 === 1, width, start: at, end: at + count });
    at += count;
  });
  const order = new Int32Array(edges.length);
  keys.forEach((key, i) => {
    order[starts[key]] = edges[i];
    starts[key] += 1;
  });
  return { order, groups };
}

/** The edge from neuron k of layer l−1 to neuron j of layer l, trimmed to the circles. */
export function edgeLine(positions, radius, l, j, k) {
  const from = positions[l - 1][k];
  const to = positions[l][j];
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  return {
    x1: from.x + ux * radius,
    y1: from.y + uy * radius,
    x2: to.x - ux * radius,
    y2: to.y - uy * radius,
  };
}

/**
 * The radius that leaves room for a value label of `labelHeight` (viewBox
 * units) under every neuron: between the neurons of each layer, and above
 * `bottom` (where the layer names start). {radius, labels}: labels is false,
 * and the radius unchanged, when a label would not fit even under a circle of
 * minRadius.
 */
export function labelledRadius(positions, radius, labelHeight, bottom, minRadius = 7) {
  let room = Infinity;
  for (const column of positions) {
    for (let j = 1; j < column.length; j += 1) {
      room = Math.min(room, (column[j].y - column[j - 1].y - labelHeight - 4) / 2);
    }
    const last = column[column.length - 1];
    if (last) room = Math.min(room, bottom - last.y - labelHeight - 3);
  }
  return room >= minRadius ? { radius: Math.min(radius, room), labels: true } : { radius, labels: false };
}

/** Distance from (x, y) to the segment from a to b. */
function segmentDistance(x, y, a, b) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  const t = length2 > 0 ? Math.min(1, Math.max(0, ((x - a.x) * dx + (y - a.y) * dy) / length2)) : 0;
  return Math.hypot(x - (a.x + t * dx), y - (a.y + t * dy));
}

/**
 * Which layers are drawn as a strip of cells, one per neuron, instead of
 * circles: those whose neighbouring circles would overlap (a layer of a few
 * dozen neurons or more). A circle drawn over the previous one hides it; a
 * strip still shows every neuron's colour.
 */
export function stripLayers(positions, radius) {
  return positions.map((column) => column.length > 1 && column[1].y - column[0].y < 2 * radius);
}

/** Neuron j's cell in layer l's strip: as wide as a circle, as tall as the spacing. */
export function stripCell(positions, radius, l, j) {
  const column = positions[l];
  const height = column[1].y - column[0].y;
  const { x, y } = column[j];
  return { x: x - radius, y: y - height / 2, width: 2 * radius, height };
}

/** Where a width × height viewBox sits in a boxWidth × boxHeight box (preserveAspectRatio xMidYMid meet). */
export function meetTransform(width, height, boxWidth, boxHeight) {
  const scale = Math.min(boxWidth / width, boxHeight / height);
  return { scale, x: (boxWidth - width * scale) / 2, y: (boxHeight - height * scale) / 2 };
}

/**
 * What a click or a tap at (x, y) (viewBox units) is on: the nearest neuron
 * whose circle, widened by `slack`, holds it ({neuron: [l, j]}; in a strip the
 * circles overlap, so the nearest one), else the edge nearest to it within
 * `slack` ({edge: [l, j, k]}: from neuron k of layer l − 1 to neuron j of
 * layer l), else null. Edges are thin: the slack makes them targets a finger
 * can hit.
 */
export function targetAt(positions, radius, x, y, slack) {
  let neuron = null;
  let nearest = Infinity;
  for (let l = 0; l < positions.length; l += 1) {
    for (let j = 0; j < positions[l].length; j += 1) {
      const p = positions[l][j];
      const d = Math.hypot(x - p.x, y - p.y);
      if (d <= radius + slack && d < nearest) {
        nearest = d;
        neuron = { neuron: [l, j] };
      }
    }
  }
  if (neuron) return neuron;
  let best = null;
  let bestDistance = slack;
  for (let l = 1; l < positions.length; l += 1) {
    const left = positions[l - 1][0].x;
    const right = positions[l][0].x;
    if (x < Math.min(left, right) - slack || x > Math.max(left, right) + slack) continue; // (tens of thousands of edges in a big network)
    for (let j = 0; j < positions[l].length; j += 1) {
      for (let k = 0; k < positions[l - 1].length; k += 1) {
        const d = segmentDistance(x, y, positions[l - 1][k], positions[l][j]);
        if (d <= bestDistance) {
          bestDistance = d;
          best = { edge: [l, j, k] };
        }
      }
    }
  }
  return best;
}
