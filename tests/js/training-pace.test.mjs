import assert from "node:assert/strict";
import test from "node:test";

import { SPEEDS, nextChunk, pace, stepViewInterval } from "../../static/js/training-run.js";

test("a chunk grows to fill the cycle beside the fixed costs", () => {
  // 8 iterations took 4 ms on the server in a 24 ms cycle: 20 ms fixed, 0.5 ms an iteration
  let chunk = 8;
  for (let i = 0; i < 20; i += 1) chunk = nextChunk(chunk, chunk, 0.5 * chunk, 0.5 * chunk + 20);
  assert.ok(Math.abs(chunk - 144) <= 2, `${chunk}`); // (92 − 20) / 0.5
});

test("when the fixed costs alone exceed the cycle, training keeps half their time", () => {
  // 300 ms of field and drawing a cycle: the old rule shrank every chunk to 1 iteration
  let chunk = 8;
  for (let i = 0; i < 20; i += 1) chunk = nextChunk(chunk, chunk, 0.5 * chunk, 0.5 * chunk + 300);
  assert.ok(Math.abs(chunk - 300) <= 3, `${chunk}`); // 150 ms / 0.5 ms
});

test("chunks stay between 1 and the largest chunk", () => {
  assert.equal(nextChunk(1, 1, 1000, 1000), 1); // one iteration takes a second: one a cycle
  assert.equal(nextChunk(5000, 5000, 5, 6), 5000);
});

test("a chosen speed paces a run: 1 it/s walks the steps, faster ones train a few a request", () => {
  assert.equal(pace(null, 8), null); // full speed: no pace
  assert.deepEqual(pace(1, 8), { walk: true, chunk: 1, periodMs: 125 }); // 8 steps in a second
  assert.deepEqual(pace(5, 8), { walk: false, chunk: 1, periodMs: 200 });
  assert.deepEqual(pace(100, 8), { walk: false, chunk: 10, periodMs: 100 });
  assert.deepEqual(pace(1000, 12), { walk: false, chunk: 100, periodMs: 100 });
  for (const speed of SPEEDS.filter((s) => s !== null)) {
    const p = pace(speed, 8);
    assert.equal(Math.round((1000 * p.chunk) / p.periodMs / (p.walk ? 8 : 1)), speed);
  }
});

test("at full speed the step view redraws every second, or less often when its redraw is slow", () => {
  assert.equal(stepViewInterval(2), 1000);
  assert.equal(stepViewInterval(80), 1600); // never more than a twentieth of the run
});
