import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CROWD,
  edgeGroups,
  edgeLine,
  edgeWidth,
  labelledRadius,
  largestEdges,
  meetTransform,
  neuronPositions,
  stripCell,
  stripLayers,
  targetAt,
} from "../../static/js/layout.js";

test("neurons sit in one column per layer, centred vertically", () => {
  const { positions, radius } = neuronPositions([2, 3, 1], 600, 400);
  assert.equal(positions.length, 3);
  assert.deepEqual(positions.map((c) => c.length), [2, 3, 1]);
  assert.ok(positions[0][0].x < positions[1][0].x && positions[1][0].x < positions[2][0].x);
  assert.equal(positions[2][0].y, 200);
  assert.equal((positions[1][0].y + positions[1][2].y) / 2, 200);
  assert.ok(radius >= 5 && radius <= 26);
});

test("a wide layer still fits inside the box", () => {
  const { positions, radius } = neuronPositions([4, 16, 16, 16, 3], 600, 380);
  for (const column of positions) {
    for (const p of column) {
      assert.ok(p.y - radius >= 0 && p.y + radius <= 380, `y=${p.y}`);
      assert.ok(p.x - radius >= 0 && p.x + radius <= 600, `x=${p.x}`);
    }
  }
});

test("edge width grows with |value| and stays within bounds", () => {
  assert.equal(edgeWidth(0, 1), 0.6);
  assert.equal(edgeWidth(-1, 1), 7);
  assert.equal(edgeWidth(5, 1), 7);
  assert.equal(edgeWidth(null, 1), 0.6);
  assert.ok(edgeWidth(0.5, 1) > edgeWidth(0.25, 1));
});

test("edges are trimmed to the circles", () => {
  const { positions } = neuronPositions([1, 1], 200, 100, { padX: 50 });
  const line = edgeLine(positions, 10, 1, 0, 0);
  assert.deepEqual(line, { x1: 60, y1: 50, x2: 140, y2: 50 });
});

test("labelledRadius shrinks the circles so a label fits under each, or gives the labels up", () => {
  const { positions, radius } = neuronPositions([2, 5, 3], 600, 346, { padX: 56, padY: 44 });
  const spacing = positions[1][1].y - positions[1][0].y; // the 5-wide layer is the tightest
  const fit = labelledRadius(positions, radius, 20, 352);
  assert.equal(fit.labels, true);
  assert.ok(Math.abs(fit.radius - (spacing - 24) / 2) < 1e-9, `${fit.radius} vs ${spacing}`);
  assert.ok(2 * fit.radius + 20 + 4 <= spacing + 1e-9);
  // roomy layers keep their radius
  const roomy = neuronPositions([2, 2, 2], 600, 346, { padX: 56, padY: 44 });
  assert.deepEqual(labelledRadius(roomy.positions, roomy.radius, 20, 352), { radius: roomy.radius, labels: true });
  // the bottom neuron's label must end above the layer names
  const low = labelledRadius(roomy.positions, roomy.radius, 20, roomy.positions[0][1].y + 30);
  assert.equal(low.radius, 30 - 20 - 3);
  // sixteen neurons leave no room: the labels go, the radius stays
  const dense = neuronPositions([2, 16, 1], 600, 346, { padX: 56, padY: 44 });
  assert.deepEqual(labelledRadius(dense.positions, dense.radius, 20, 352), { radius: dense.radius, labels: false });
});

test("targetAt finds the neuron under a point, else the edge nearest to it within the slack", () => {
  const { positions, radius } = neuronPositions([2, 2, 1], 600, 346, { padX: 56, padY: 44 });
  const [a, b] = positions[1];
  assert.deepEqual(targetAt(positions, radius, a.x + radius + 3, a.y, 4), { neuron: [1, 0] });
  // the middle of the edge from neuron 1 of layer 0 to neuron 0 of layer 1, a little off it
  const from = positions[0][1];
  const mid = { x: (from.x + a.x) / 2, y: (from.y + a.y) / 2 };
  assert.deepEqual(targetAt(positions, radius, mid.x, mid.y + 3, 8), { edge: [1, 0, 1] });
  assert.equal(targetAt(positions, radius, mid.x, mid.y + 30, 8), null);
  assert.equal(b.x, a.x);
});

test("targetAt picks the nearest of overlapping neurons, and skips pairs away from the point", () => {
  const { positions, radius } = neuronPositions([2, 64, 1], 600, 346, { padX: 56, padY: 44 });
  const p = positions[1][40];
  assert.deepEqual(targetAt(positions, radius, p.x + 1, p.y + 0.4, 4), { neuron: [1, 40] });
  assert.deepEqual(targetAt(positions, radius, p.x - radius - 3, positions[1][63].y, 4), { neuron: [1, 63] });
});

test("layers whose circles would overlap are strips; a strip's cells tile its column", () => {
  const big = neuronPositions([64, 256, 10], 600, 346, { padX: 56, padY: 44 });
  assert.deepEqual(stripLayers(big.positions, big.radius), [true, true, true]);
  const small = neuronPositions([4, 16, 16, 1], 600, 346, { padX: 56, padY: 44 });
  assert.deepEqual(stripLayers(small.positions, small.radius), [false, false, false, false]);
  const one = neuronPositions([40, 1], 600, 346, { padX: 56, padY: 44 });
  assert.deepEqual(stripLayers(one.positions, one.radius), [true, false]); // a lone neuron stays a circle
  const [a, b] = [0, 1].map((j) => stripCell(big.positions, big.radius, 1, j));
  assert.ok(Math.abs(a.y + a.height - b.y) < 1e-9);
  assert.equal(a.width, 2 * big.radius);
  assert.equal(a.x + a.width / 2, big.positions[1][0].x);
  assert.ok(Math.abs(a.y + a.height / 2 - big.positions[1][0].y) < 1e-9);
});

test("meetTransform centres the viewBox in a box of another shape", () => {
  assert.deepEqual(meetTransform(600, 380, 1200, 760), { scale: 2, x: 0, y: 0 });
  assert.deepEqual(meetTransform(600, 380, 800, 380), { scale: 1, x: 100, y: 0 });
  assert.deepEqual(meetTransform(600, 380, 300, 400), { scale: 0.5, x: 0, y: 105 });
});

test("largestEdges keeps the count largest |value|s, ties and nulls included", () => {
  const values = [
    [0.1, -0.9, null],
    [0.5, 0.5, -0.2],
  ];
  assert.deepEqual([...largestEdges(values, 2)].sort(), [1, 3]); // −0.9, then the first 0.5
  assert.deepEqual([...largestEdges(values, 3)].sort(), [1, 3, 4]);
  assert.deepEqual([...largestEdges(values, 10)], [0, 1, 2, 3, 4, 5]);
  assert.equal(CROWD, 256);
});

test("edgeGroups groups edges by sign and width, thinnest first", () => {
  const values = [
    [1, -1, 0.5],
    [-0.5, 0.01, null],
  ];
  const { order, groups } = edgeGroups(values, 1, Int32Array.from([0, 1, 2, 3, 4, 5]));
  assert.equal(order.length, 6);
  const shown = groups.map((g) => [g.neg, g.width, [...order.slice(g.start, g.end)].sort()]);
  assert.deepEqual(shown, [
    [false, 0.6, [4, 5]], // 0.01 rounds to the thinnest; null is drawn thinnest, as a positive
    [false, 3.85, [2]],
    [true, 3.85, [3]],
    [false, 7, [0]],
    [true, 7, [1]],
  ]);
  for (const g of groups) {
    const exact = values[Math.floor(order[g.start] / 3)][order[g.start] % 3];
    assert.ok(Math.abs(edgeWidth(exact, 1) - g.width) <= 0.125 + 1e-9);
  }
  // only the edges asked for
  assert.deepEqual([...edgeGroups(values, 1, Int32Array.from([1, 3])).order], [3, 1]);
});
