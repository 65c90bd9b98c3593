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
