import assert from "node:assert/strict";
import { test } from "node:test";

import { answersText, binLabel, comingStep, followerId, heldFromLatest, mistakeName, numberGroups, roundBars } from "../../static/js/class-question.js";

function memoryStorage() {
  const items = new Map();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, v) };
}

test("a browser keeps one random follower id", () => {
  const storage = memoryStorage();
  const first = followerId(storage);
  assert.match(first, /^[0-9a-f]{24}$/);
  assert.equal(followerId(storage), first);
  assert.notEqual(followerId(memoryStorage()), first);
});

test("storage that refuses (private browsing) still gives an id, and no null storage breaks", () => {
  const refusing = {
    getItem() {
      throw new Error("SecurityError");
    },
    setItem() {
      throw new Error("QuotaExceededError");
    },
  };
  assert.match(followerId(refusing), /^[0-9a-f]{24}$/);
  assert.match(followerId(null), /^[0-9a-f]{24}$/);
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

test("a histogram's bars are the API's, far answers below and above labelled, the right one marked", () => {
  const bar = (low, high, count, right = false) => ({ low, high, count, right });
  const distribution = {
    options: null,
    histogram: {
      edges: [0.0084, 0.0086, 0.0088],
      counts: [1, 4],
      bars: [bar(null, 0.0084, 1), bar(0.0084, 0.0086, 1), bar(0.0086, 0.0088, 4, true), bar(0.0088, null, 2)],
    },
  };
  const bars = roundBars(distribution);
  assert.deepEqual(
    bars.map((b) => [b.label, b.count, b.right, b.note]),
    [
      ["below 0.0084", 1, false, ""],
      ["0.0084 … 0.0086", 1, false, ""],
      ["0.0086 … 0.0088", 4, true, "the right answer"],
      ["above 0.0088", 2, false, ""],
    ],
  );
  assert.deepEqual(
    bars.map((b) => b.share),
    [0.25, 0.25, 1, 0.5],
  );
});

test("a bar of one number is labelled with it; negative edges get a minus sign", () => {
  assert.equal(binLabel({ low: 0.0088, high: 0.0088 }), "0.0088");
  assert.equal(binLabel({ low: -0.5, high: 1e-7 }), "\u22120.5 … 1e\u22127");
  assert.equal(binLabel({ low: null, high: -2 }), "below \u22122");
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

test("a reloaded follower's page holds the answer the server kept for it", () => {
  const question = { question_id: "q1", round: 1, open: true, revealed: false };
  const latest = { question, your_answer: 0.0088, answer: null };
  assert.deepEqual(heldFromLatest(null, latest), { question, mine: 0.0088, answer: null, error: null });
  // on reconnect: the same question, the server's answer replaces what the page held
  const held = { question, mine: null, answer: null, error: "Network problem" };
  assert.deepEqual(heldFromLatest(held, latest), { question, mine: 0.0088, answer: null, error: null });
  // revealed: the right answer too
  const revealed = { question: { ...question, open: false, revealed: true }, your_answer: "B", answer: "A" };
  assert.deepEqual(heldFromLatest(null, revealed), { question: revealed.question, mine: "B", answer: "A", error: null });
  // nothing asked yet; or the page's events brought another question or a later round
  assert.equal(heldFromLatest(null, { question: null, your_answer: null, answer: null }), null);
  assert.equal(heldFromLatest({ ...held, question: { ...question, question_id: "q2" } }, latest), null);
  assert.equal(heldFromLatest({ ...held, question: { ...question, round: 2 } }, latest), null);
});
