import assert from "node:assert/strict";
import { test } from "node:test";
import { cellClass, cellColour, formatNumber, fullPrecision, maxAbs, shapeText, sup } from "../../static/js/format.js";

test("sup writes layer indices as superscripts", () => {
  assert.equal(sup(2), "²");
  assert.equal(sup(10), "¹⁰");
});

test("formatNumber always prints the sign and the requested significant digits", () => {
  assert.equal(formatNumber(0.5, 3), "+0.500");
  assert.equal(formatNumber(-0.012345, 2), "−0.012");
  assert.equal(formatNumber(0.13849856162855698, 4), "+0.1385");
  assert.equal(formatNumber(-0.03809823651655623, 4), "−0.03810");
  assert.equal(formatNumber(123.456, 4), "+123.5");
  assert.equal(formatNumber(0), "0");
});

test("formatNumber never prints a signed zero", () => {
  // -0 reaches the page as the engine's −η·0 (JSON "-0.0") or as a view's negated zero
  for (const digits of [1, 2, 4, 15]) {
    assert.equal(formatNumber(-0, digits), "0");
    assert.equal(formatNumber(-(0 * 0.5), digits), "0");
    assert.equal(formatNumber(JSON.parse("-0.0"), digits), "0");
  }
  // significant digits never round a non-zero value to zero
  assert.equal(formatNumber(-1e-300, 2), "−1.0e−300");
  assert.equal(formatNumber(-0.00004, 1), "−4e−5");
});

test("formatNumber switches to an exponent for tiny and huge magnitudes", () => {
  assert.equal(formatNumber(1.234e-7, 2), "+1.2e−7");
  assert.equal(formatNumber(-4.5e8, 3), "−4.50e8");
  assert.equal(formatNumber(0.00043856773447434685, 3), "+0.000439");
});

test("formatNumber shows null (a non-finite value the API replaced) as a dash", () => {
  assert.equal(formatNumber(null), "—");
  assert.equal(formatNumber(undefined), "—");
  assert.equal(formatNumber(Number.POSITIVE_INFINITY), "+∞");
});

test("digits are clamped to 1…17", () => {
  assert.equal(formatNumber(0.123456, 0), "+0.1");
  assert.equal(formatNumber(0.1, 40), `+${(0.1).toPrecision(17)}`);
});

test("fullPrecision round-trips", () => {
  const v = 0.39249999999999996;
  assert.equal(Number(fullPrecision(v)), v);
  assert.equal(fullPrecision(null), "null");
});

test("shapeText and maxAbs", () => {
  assert.equal(shapeText([2, 3]), "2×3");
  assert.equal(shapeText([4]), "4");
  assert.equal(maxAbs([[1, -3], [null, 2]]), 3);
  assert.equal(maxAbs([]), 0);
});

test("the colour scale is symmetric, clamped and neutral at zero", () => {
  assert.equal(cellClass(0, 1), "q-value-0");
  assert.equal(cellClass(5, 1), "q-value-p8");
  assert.equal(cellClass(-5, 1, "error"), "q-error-n8");
  assert.equal(cellClass(1, 0), "q-value-0"); // a zero range: neutral
  assert.equal(cellClass(null, 1), "q-value-0");
  assert.equal(cellClass(0.25, 1), "q-value-p4"); // the square-root stretch: ¼ sits halfway
  assert.equal(cellColour(0, 1, "value"), "rgb(247, 247, 247)");
  assert.equal(cellColour(1, 1, "value"), "rgb(33, 102, 172)");
  assert.equal(cellColour(-1, 1, "value"), "rgb(178, 24, 43)");
  assert.equal(cellColour(1, 1, "error"), "rgb(84, 39, 136)");
  assert.notEqual(cellColour(0.5, 1, "value"), cellColour(0.5, 1, "error"));
});
