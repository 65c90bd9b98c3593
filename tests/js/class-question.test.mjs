import assert from "node:assert/strict";
import { test } from "node:test";

import { answersText, comingStep, followerId, mistakeName, numberGroups, roundBars } from "../../static/js/class-question.js";

function memoryStorage() {
  const items = new Map();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, v) };
}

test("a tab keeps one random follower id", () => {
  const storage = memoryStorage();
  const first = followerId(storage);
  assert.match(first, /^[0-9a-f]{24}$/);
  assert.equal(followerId(storage), first);
  assert.notEqual(followerId(memoryStorage()), first);
});

test("counts in words", () => {
  assert.equal(answersText(1), "1 answer");
  assert.equal(answersText(0), "0 answers");
});

test("an option's bar is its count against the largest, a known mistake named", () => {
  const distribution = {
    options: [
      { key: "A", label: "W ← W + η∂C/∂W", count: 2, right: false, mistake: "added_gradient", value: 0.4 },
      { key: "B", label: "W ← W − η∂C/∂W", count: 4, right: true, mistake: null, value: 0.36 },
    ],
  };
  assert.deepEqual(roundBars(distribution, "B"), [
    { label: "W ← W + η∂C/∂W", count: 2, share: 0.5, right: false, note: "added gradient" },
    { label: "W ← W − η∂C/∂W", count: 4, share: 1, right: true, note: "right" },
  ]);
});

test("a histogram's bars are its bins, the right answer's marked", () => {
  const distribution = { options: null, histogram: { edges: [0, 1, 2, 3], counts: [1, 0, 3] } };
  const bars = roundBars(distribution, 3, (x) => x.toFixed(1));
  assert.deepEqual(
    bars.map((b) => [b.label, b.count, b.right]),
    [["0.0 … 1.0", 1, false], ["1.0 … 2.0", 0, false], ["2.0 … 3.0", 3, true]],
  );
  assert.equal(bars[0].share, 1 / 3);
});

test("a number's groups: right, and the mistakes someone made, in words", () => {
  const distribution = {
    groups: [
      { name: "right", words: null, value: 0.3775, count: 0 },
      { name: "missing_bias", words: "the bias was left out", value: 0.0275, count: 3 },
      { name: "used_z_not_a", words: "z for a", value: 0.5, count: 0 },
      { name: "other", words: null, value: null, count: 1 },
    ],
  };
  assert.deepEqual(numberGroups(distribution), [
    { name: "right", words: "", value: 0.3775, count: 0, mistake: false },
    { name: "missing bias", words: "the bias was left out", value: 0.0275, count: 3, mistake: true },
    { name: "other", words: "", value: null, count: 1, mistake: false },
  ]);
  assert.equal(mistakeName("sum_not_mean"), "sum not mean");
});

test("a question is about the coming step, or the last one at the end", () => {
  const steps = [
    { phase: "forward", layer: 1 },
    { phase: "forward", layer: 2 },
    { phase: "output_error", layer: 2 },
  ];
  assert.deepEqual(comingStep({ cursor: { index: 0 }, steps }), { phase: "forward", layer: 2, index: 1 });
  assert.deepEqual(comingStep({ cursor: { index: 2 }, steps }), { phase: "output_error", layer: 2, index: 2 });
});
