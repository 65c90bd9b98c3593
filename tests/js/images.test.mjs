import assert from "node:assert/strict";
import { test } from "node:test";

import { imageSide, inkLevel, mistakeLabel, reportPart, valueRange } from "../../static/js/images.js";

test("square inputs of 16 pixels or more are images", () => {
  assert.equal(imageSide(64), 8);
  assert.equal(imageSide(784), 28);
  assert.equal(imageSide(16), 4);
  assert.equal(imageSide(9), null); // too small to be a picture
  assert.equal(imageSide(3), null);
  assert.equal(imageSide(65), null);
});

test("ink shades from white at the low end to dark at the high end", () => {
  assert.deepEqual(inkLevel(0, 0, 1), [255, 255, 255]);
  assert.deepEqual(inkLevel(1, 0, 1), [27, 27, 51]);
  assert.deepEqual(inkLevel(2, 0, 1), [27, 27, 51]); // clamped
  assert.deepEqual(inkLevel(0.5, 0, 0), [255, 255, 255]); // no range: blank
  assert.deepEqual(inkLevel(null, 0, 1), [255, 255, 255]);
});

test("value ranges skip what is not a finite number", () => {
  assert.deepEqual(valueRange([0.5, null, -2, 3, Number.NaN]), [-2, 3]);
  assert.deepEqual(valueRange([]), [0, 0]);
});

test("the report shows the test part when there is one", () => {
  const predictions = { train: { predicted: [1] }, test: { predicted: [0] } };
  const data = { train: { inputs: [[1]] }, test: { inputs: [[2]] } };
  assert.equal(reportPart(predictions, data).name, "test");
  assert.deepEqual(reportPart(predictions, data).prediction, { predicted: [0] });
  assert.equal(reportPart({ ...predictions, test: null }, { ...data, test: null }).name, "train");
  assert.equal(mistakeLabel(3, 8), "3 → 8");
});
