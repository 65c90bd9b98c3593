import assert from "node:assert/strict";
import { test } from "node:test";

import { scrollToShow } from "../../static/js/views/timeline-scroll.js";

const row = { left: 10, right: 390 };

test("a step already in view does not scroll the row", () => {
  assert.equal(scrollToShow(row, { left: 100, right: 160 }), 0);
  assert.equal(scrollToShow(row, { left: 34, right: 366 }), 0);
});

test("a step past the right edge scrolls it in, with the margin", () => {
  assert.equal(scrollToShow(row, { left: 380, right: 440 }), 440 - 390 + 24);
});

test("a step before the left edge scrolls back, with the margin", () => {
  assert.equal(scrollToShow(row, { left: -50, right: 10 }), -50 - 10 - 24);
  assert.equal(scrollToShow(row, { left: 20, right: 80 }, 0), 0);
});
