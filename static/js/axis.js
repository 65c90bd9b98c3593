// Pure: the cost curve's axes — nice tick values, the text of their labels and
// of the hover readout. No DOM. A value that shows as zero is written "0" or
// "0.000", never with a sign.

/** Nice tick values between lo and hi (about n of them): whole multiples of 1, 2 or 5 × 10^k. */
export function ticks(lo, hi, n = 4) {
  if (!(hi > lo)) return [lo];
  const step = 10 ** Math.floor(Math.log10((hi - lo) / n));
  const mult = [1, 2, 5, 10].find((m) => (hi - lo) / (step * m) <= n) ?? 10;
  const s = step * mult;
  // k·s, not a running sum: a sum drifts (−0.3 + 0.1 + 0.1 + 0.1 is −2.8e−17)
  // and would label as "−2.78e−17" the tick where 0 belongs
  const out = [];
  for (let k = Math.ceil(lo / s); k * s <= hi + 1e-12; k += 1) out.push(k * s);
  return out;
}

/** A tick's label: `digits` significant digits without trailing zeros ("0.25", "1e-7"); zero is "0". */
export function tickLabel(value, digits) {
  const x = Number(value.toPrecision(digits));
  return x === 0 ? "0" : String(x); // -0 too
}

/** A cost in the hover readout: 4 significant digits, "—" for a missing (non-finite) one. */
export function readoutValue(value) {
  if (value === null || value === undefined) return "—";
  return (value === 0 ? 0 : value).toPrecision(4); // -0 as 0
}
