import assert from "node:assert/strict";
import { test } from "node:test";
import { curveWindow, historyNote, logTicks, readoutValue, tickLabel, ticks } from "../../static/js/axis.js";

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

const round = (vs) => vs.map((v) => Number((10 ** v).toPrecision(6)));

test("a log axis has several ticks: 1-2-5 within a decade or two, decades over many", () => {
  assert.deepEqual(round(logTicks(Math.log10(0.03), Math.log10(0.7))), [0.05, 0.1, 0.2, 0.5]);
  assert.deepEqual(round(logTicks(-4, 0)), [0.0001, 0.001, 0.01, 0.1, 1]);
  assert.deepEqual(round(logTicks(-12, 0)), [1e-12, 1e-9, 1e-6, 0.001, 1]);
  // under a decade: nice linear values, never a single tick
  assert.deepEqual(round(logTicks(Math.log10(0.31), Math.log10(0.36))), [0.32, 0.34, 0.36]);
  assert.ok(logTicks(Math.log10(0.6), Math.log10(0.7)).length >= 3);
});

test("the curve's window: the kept costs' iterations, scaled to what is visible", () => {
  // 56,000 iterations: the server kept the last 10,000 costs, small ones; old test costs were large
  const costs = Array.from({ length: 10000 }, (_, i) => 0.02 + 0.01 * Math.cos(i));
  const test = [[0, 0.7], [20000, 0.3], [50000, 0.05], [56000, 0.03]];
  const w = curveWindow({ costs, first: 46000, last: 56000, test }, false);
  assert.equal(w.t0, 46000);
  assert.equal(w.t1, 56000);
  assert.deepEqual(w.test, [[50000, 0.05], [56000, 0.03]]);
  assert.equal(w.lo, 0);
  assert.ok(w.hi > 0.05 && w.hi < 0.06, `${w.hi}`); // not 0.7: the curve fills the height
  const l = curveWindow({ costs, first: 46000, last: 56000, test }, true);
  assert.ok(l.lo < Math.log10(0.01) && l.hi > Math.log10(0.05) && l.hi < Math.log10(0.07));
});

test("the note says when older costs were dropped", () => {
  assert.equal(historyNote(0, 500, 10000), "");
  assert.equal(historyNote(46000, 10000, 10000), "Costs before iteration 46,000 were dropped: the server keeps the last 10,000.");
  assert.equal(historyNote(120, 30, 10000), "The curve starts at iteration 120: earlier costs are not kept in this session.");
});
