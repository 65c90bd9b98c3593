import assert from "node:assert/strict";
import { test } from "node:test";
import { edgeLine, edgeWidth, neuronPositions } from "../../static/js/layout.js";

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
