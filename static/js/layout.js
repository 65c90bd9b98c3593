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

/** Stroke width for |value| against the largest |value| shown (range). */
export function edgeWidth(value, range, min = 0.6, max = 7) {
  if (typeof value !== "number" || !Number.isFinite(value) || !(range > 0)) return min;
  return min + (max - min) * Math.min(1, Math.abs(value) / range);
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
 * What a click or a tap at (x, y) (viewBox units) is on: the neuron whose
 * circle, widened by `slack`, holds it ({neuron: [l, j]}), else the edge
 * nearest to it within `slack` ({edge: [l, j, k]}: from neuron k of layer
 * l − 1 to neuron j of layer l), else null. Edges are thin: the slack makes
 * them targets a finger can hit.
 */
export function targetAt(positions, radius, x, y, slack) {
  for (let l = 0; l < positions.length; l += 1) {
    for (let j = 0; j < positions[l].length; j += 1) {
      const p = positions[l][j];
      if (Math.hypot(x - p.x, y - p.y) <= radius + slack) return { neuron: [l, j] };
    }
  }
  let best = null;
  let bestDistance = slack;
  for (let l = 1; l < positions.length; l += 1) {
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
