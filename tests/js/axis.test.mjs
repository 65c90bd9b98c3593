import assert from "node:assert/strict";
import { test } from "node:test";
import { readoutValue, tickLabel, ticks } from "../../static/js/axis.js";

test("ticks are whole multiples of a nice step, zero exactly zero", () => {
  assert.deepEqual(ticks(0, 1), [0, 0.5, 1]);
  assert.deepEqual(ticks(0, 1000), [0, 500, 1000]);
  // a running sum from −0.6 by 0.2 reaches −5.6e−17 where 0 belongs
  assert.deepEqual(ticks(-0.7, 0.1), [-0.6000000000000001, -0.4, -0.2, 0]);
  assert.deepEqual(ticks(2, 2), [2]);
});

test("tick labels drop trailing zeros and never print a signed zero", () => {
  assert.deepEqual(ticks(-0.7, 0.1).map((v) => tickLabel(v, 3)), ["-0.6", "-0.4", "-0.2", "0"]);
  assert.deepEqual(ticks(-0.7, 0.1).map((v) => tickLabel(10 ** v, 2)), ["0.25", "0.4", "0.63", "1"]); // a log axis
  assert.equal(tickLabel(-0, 3), "0");
  assert.equal(tickLabel(-1e-20, 3), "-1e-20"); // a non-zero value keeps its sign
  assert.equal(tickLabel(12000, 15), "12000");
});

test("the readout writes a cost with 4 significant digits, a zero without a sign", () => {
  assert.equal(readoutValue(0.693147), "0.6931");
  assert.equal(readoutValue(-0), "0.000");
  assert.equal(readoutValue(0), "0.000");
  assert.equal(readoutValue(null), "—");
});
