// Pure helpers for inputs that are pictures (n0 = side², such as the 8×8 digits):
// which networks have them, and how the page lays out and shades them. Shading is
// formatting: every value comes from the API.

/** The side of a square image of n pixels (n ≥ 16 and a square), else null. */
export function imageSide(n) {
  const side = Math.round(Math.sqrt(n));
  return n >= 16 && side * side === n ? side : null;
}

/** Grey for a pixel: lo → white, hi → ink (an [r, g, b] triple). */
export function inkLevel(value, lo, hi) {
  const t = hi > lo && Number.isFinite(value) ? Math.max(0, Math.min(1, (value - lo) / (hi - lo))) : 0;
  const v = Math.round(255 - t * (255 - 27));
  return [v, v, Math.round(255 - t * (255 - 51))];
}

/** The smallest and largest finite value of a list (0, 0 for none). */
export function valueRange(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (typeof v !== "number" || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === Infinity ? [0, 0] : [lo, hi];
}

/** The samples a part of the data shows (test when there is one), its name and rows. */
export function reportPart(predictions, data) {
  const test = predictions?.test && data?.test;
  return test
    ? { name: "test", prediction: predictions.test, rows: data.test }
    : { name: "train", prediction: predictions?.train ?? null, rows: data?.train ?? null };
}

/** "3 → 8": a sample's actual class and the class the network gave it. */
export function mistakeLabel(actual, predicted) {
  return `${actual} → ${predicted}`;
}
