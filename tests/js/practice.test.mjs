import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  LAST_LEVEL,
  MAX_TYPED,
  answerFor,
  askedEntries,
  entryLabel,
  iterationTally,
  lessonAfter,
  lessonAsks,
  lessonNote,
  newLesson,
  parseEntry,
  partLabel,
  partShape,
  readLesson,
  resultKey,
  stepTally,
  tallyText,
} from "../../static/js/practice.js";
import { drawSeed } from "../../static/js/views/practice-bar.js";

const { trace } = JSON.parse(readFileSync(new URL("./fixtures/worked_example.json", import.meta.url), "utf8"));

test("each part's answer has the trace's shape, a label and the equation's result key", () => {
  assert.deepEqual(partShape(trace, "forward", 1, "z"), [2, 1]);
  assert.deepEqual(partShape(trace, "output_error", 2, "delta"), [2, 1]);
  assert.deepEqual(partShape(trace, "backward", 1, "delta"), [2, 1]);
  assert.deepEqual(partShape(trace, "gradients", 2, "weights"), [2, 2]);
  assert.deepEqual(partShape(trace, "update", 1, "biases"), [2]);
  assert.equal(partLabel("backward", "delta", 1), "δ¹");
  assert.equal(partLabel("gradients", "biases", 2), "∂C/∂b²");
  assert.equal(partLabel("update", "weights", 1), "W¹ new");
  assert.equal(resultKey("forward", "a"), "a");
  assert.equal(resultKey("gradients", "weights"), "grad_weights");
  assert.equal(resultKey("update", "biases"), "new_biases");
});

test("small results ask every entry; big ones a few spread over them", () => {
  assert.deepEqual(askedEntries([2, 1]), [[0, 0], [1, 0]]);
  assert.deepEqual(askedEntries([3]), [[0], [1], [2]]);
  assert.equal(askedEntries([3, 4]).length, MAX_TYPED);
  assert.deepEqual(askedEntries([8, 8]), [[0, 0], [2, 5], [5, 2], [7, 7]]);
  assert.deepEqual(askedEntries([20]), [[0], [6], [13], [19]]);
  assert.equal(entryLabel("δ²", [1, 0]), "δ²[1][0]");
  assert.equal(entryLabel("b¹ new", [1]), "b¹ new[1]");
});

test("typed entries: the typographic minus, a comma, spaces; empty is skipped; words are refused", () => {
  assert.deepEqual(parseEntry("0.7414"), { value: 0.7414 });
  assert.deepEqual(parseEntry(" \u22120,2171 "), { value: -0.2171 });
  assert.deepEqual(parseEntry("+1e-3"), { value: 0.001 });
  assert.deepEqual(parseEntry(".5"), { value: 0.5 });
  assert.deepEqual(parseEntry(""), { value: null });
  assert.deepEqual(parseEntry(undefined), { value: null });
  assert.match(parseEntry("abc").error, /“abc” is not a number/);
  assert.match(parseEntry("1.2.3").error, /not a number/);
});

test("the answer has the result's shape with null where nothing was asked or typed", () => {
  assert.deepEqual(answerFor([2, 2], { "0,0": 1.5, "1,1": null }), [[1.5, null], [null, null]]);
  assert.deepEqual(answerFor([2], { 1: -0.5 }), [null, -0.5]);
});

const response = (verdicts, misconceptions = []) => ({
  entries: verdicts.map((v) => [{ verdict: v, expected: 0, mistakes: [] }]),
  misconceptions,
  explanations: {},
});

test("a step's first check and an iteration's tally count the asked entries", () => {
  const asked = { delta: [[0, 0], [1, 0]] };
  const one = stepTally(asked, [{ part: "delta", response: response(["wrong", "correct"], ["missing_sigma_prime"]) }]);
  assert.deepEqual(one, { right: 1, total: 2, mistakes: ["missing_sigma_prime"] });
  const tally = iterationTally(
    [
      { label: "δ²", ...one },
      { label: "δ¹", right: 0, total: 2, mistakes: ["missing_sigma_prime", "untransposed_weights"] },
      { label: "z¹, a¹", right: 4, total: 4, mistakes: [] },
    ],
    { missing_sigma_prime: "σ′ was left out" },
  );
  assert.equal(tally.right, 5);
  assert.equal(tally.total, 8);
  assert.deepEqual(tally.mistakes, [
    { name: "missing_sigma_prime", words: "σ′ was left out", where: ["δ²", "δ¹"] },
    { name: "untransposed_weights", words: "untransposed_weights", where: ["δ¹"] },
  ]);
  assert.equal(
    tallyText(0, tally),
    "Iteration 0: 5 of 8 entries right at the first check; mistakes: σ′ was left out (δ², δ¹); untransposed_weights (δ¹).",
  );
  assert.equal(tallyText(3, { right: 2, total: 2, mistakes: [] }), "Iteration 3: 2 of 2 entries right at the first check; no known mistake came up.");
  assert.equal(tallyText(1, { right: 0, total: 0, mistakes: [] }), "Iteration 1: nothing was asked.");
});

test("the lesson fades from the end; a phase answered wrongly is worked again, then asked", () => {
  let lesson = newLesson();
  assert.ok(["forward", "output_error", "backward", "gradients", "update"].every((p) => !lessonAsks(lesson, p)));
  lesson = lessonAfter(lesson, [], 1);
  assert.equal(lesson.level, 1);
  assert.ok(lessonAsks(lesson, "update") && !lessonAsks(lesson, "gradients"));
  lesson = lessonAfter(lesson, [], 2);
  assert.deepEqual([lessonAsks(lesson, "gradients"), lessonAsks(lesson, "backward")], [true, false]);
  lesson = lessonAfter(lesson, ["update", "update"], 3);
  assert.equal(lesson.level, 2);
  assert.deepEqual(lesson.rework, ["update"]);
  assert.equal(lessonAsks(lesson, "update"), false);
  assert.match(lessonNote(lesson, "update"), /^Worked again/);
  assert.match(lessonNote(lesson, "gradients"), /^Your turn/);
  assert.match(lessonNote(lesson, "forward"), /^Worked example/);
  lesson = lessonAfter(lesson, [], 4);
  assert.deepEqual([lesson.level, lesson.rework, lessonAsks(lesson, "update")], [3, [], true]);
  lesson = { ...lesson, level: LAST_LEVEL };
  assert.equal(lessonAfter(lesson, [], 9).done, true);
  assert.equal(lessonAfter(lesson, ["forward"], 9).done, false);
});

test("a saved lesson reads back, and a damaged one is none", () => {
  const saved = { level: 2, rework: ["update"], iteration: 3, index: 5, sessionId: "abc" };
  assert.deepEqual(readLesson(JSON.stringify(saved)), { start: 0, done: false, ...saved });
  assert.equal(readLesson("{"), null);
  assert.equal(readLesson(JSON.stringify({ ...saved, level: 9 })), null);
  assert.equal(readLesson(JSON.stringify({ ...saved, rework: ["nope"] })), null);
  assert.equal(readLesson(null), null);
});

test("a new problem's seed is a whole number from 1", () => {
  assert.equal(drawSeed(() => 0), 1);
  assert.equal(drawSeed(() => 0.999999), 99999);
});
