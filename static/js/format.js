// Pure number and colour formatting. No DOM, no math on the model's numbers:
// these functions only decide how a number the API sent is written and coloured.

const MINUS = "\u2212"; // typographic minus: the sign is always printed, never only coloured
const SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/** Superscript digits for a layer index: sup(2) === "²". */
export function sup(n) {
  return String(n).replace(/\d/g, (d) => SUPERSCRIPTS[Number(d)]);
}

/**
 * A number with `digits` significant digits and an explicit sign:
 * formatNumber(0.5, 3) === "+0.500", formatNumber(-0.012345, 2) === "−0.012".
 * Zero prints as "0", without a sign, also when it is -0 (the engine's −η·0
 * or a negated zero): no rounding makes a non-zero value read as zero, since
 * the digits are significant ones. Very small or very large magnitudes use an
 * exponent: "+1.2e−7". null (a non-finite value the API replaced) prints as "—".
 */
export function formatNumber(value, digits = 4) {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "number" || Number.isNaN(value)) return "—";
  if (!Number.isFinite(value)) return value > 0 ? "+∞" : `${MINUS}∞`;
  const d = Math.min(Math.max(Math.round(digits), 1), 17);
  if (value === 0) return "0"; // -0 too
  const sign = value < 0 ? MINUS : "+";
  const abs = Math.abs(value);
  let body;
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) {
    const [mantissa, exponent] = abs.toExponential(d - 1).split("e");
    const e = Number(exponent);
    body = `${mantissa}e${e < 0 ? MINUS : ""}${Math.abs(e)}`;
  } else {
    body = abs.toPrecision(d);
    if (body.includes("e")) body = String(Number(body)); // toPrecision switched to exponent
  }
  return sign + body;
}

/** Full precision, round-trippable (what data-value attributes hold). */
export function fullPrecision(value) {
  return value === null || value === undefined ? "null" : String(value);
}

/** Shape text: shapeText([2, 3]) === "2×3", shapeText([4]) === "4". */
export function shapeText(shape) {
  return shape.join("×");
}

/** The largest |x| of a (nested) array, ignoring nulls; 0 if empty. */
export function maxAbs(values) {
  let best = 0;
  const walk = (v) => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
    } else if (typeof v === "number" && Number.isFinite(v)) {
      const a = Math.abs(v);
      if (a > best) best = a;
    }
  };
  walk(values);
  return best;
}

// Colour-blind-safe diverging scales (ColorBrewer RdBu and PuOr, 7 classes),
// from negative through a neutral middle to positive. Activations and weights
// use "value"; errors (δ) and gradients use "error", so the two read differently.
export const SCALES = {
  value: ["#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"],
  error: ["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"],
};

function hexToRgb(hex) {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const SCALE_RGB = Object.fromEntries(
  Object.entries(SCALES).map(([name, stops]) => [name, stops.map(hexToRgb)]),
);

/**
 * Where a value sits on a diverging scale: -1 … 1 (clamped), 0 for null or
 * a zero range. Uses a square-root stretch so small values stay visible.
 */
function scalePosition(value, range) {
  if (typeof value !== "number" || !Number.isFinite(value) || !(range > 0)) return 0;
  const t = Math.max(-1, Math.min(1, value / range));
  return Math.sign(t) * Math.sqrt(Math.abs(t));
}

/** Background colour "rgb(r, g, b)" for a value on the named scale. */
export function cellColour(value, range, scale = "value") {
  const stops = SCALE_RGB[scale] ?? SCALE_RGB.value;
  const pos = (scalePosition(value, range) + 1) / 2; // 0 … 1
  const x = pos * (stops.length - 1);
  const i = Math.min(Math.floor(x), stops.length - 2);
  const f = x - i;
  const [r0, g0, b0] = stops[i];
  const [r1, g1, b1] = stops[i + 1];
  const mix = (a, b) => Math.round(a + (b - a) * f);
  return `rgb(${mix(r0, r1)}, ${mix(g0, g1)}, ${mix(b0, b1)})`;
}

/**
 * The class of a cell's colour: the scale position quantised to 8 levels each
 * side, e.g. "q-error-n3" (app.css defines one rule per class, generated from
 * SCALES). Null and non-finite values get the neutral class.
 */
export function cellClass(value, range, scale = "value") {
  const q = Math.round(scalePosition(value, range) * 8);
  const level = q < 0 ? `n${-q}` : q === 0 ? "0" : `p${q}`;
  return `q-${scale === "error" ? "error" : "value"}-${level}`;
}
