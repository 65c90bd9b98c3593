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

/**
 * Ticks of a log axis between 10^lo and 10^hi (lo, hi are log10 values), as log10
 * values: 1, 2 and 5 × 10^k while there are few decades, only 1 × 10^k (every
 * decade or every few) when there are many, and nice linear ticks in value when
 * the range is under a decade and would hold fewer than three.
 */
export function logTicks(lo, hi, n = 5) {
  if (!(hi > lo)) return [lo];
  const decades = hi - lo;
  const mantissas = decades <= 1.5 ? [1, 2, 5] : decades <= 3 ? [1, 3] : [1];
  const stride = Math.max(1, Math.ceil(decades / n));
  const out = [];
  for (let k = Math.floor(lo); k <= Math.ceil(hi); k += 1) {
    if (mantissas.length === 1 && k % stride !== 0) continue;
    for (const m of mantissas) {
      const v = Math.log10(m) + k;
      if (v >= lo - 1e-9 && v <= hi + 1e-9) out.push(v);
    }
  }
  if (out.length >= 3) return out;
  return ticks(10 ** lo, 10 ** hi, 4)
    .filter((v) => v > 0)
    .map((v) => Math.log10(v));
}

/**
 * What the cost curve shows: the iterations of the kept training costs (test costs
 * outside them are left out, so old evaluations do not squash the curve), and a
 * value range fitted to what is visible — from 0 on a linear axis, padded on a log one.
 * `costs` start at iteration `first`; `test` is [[iteration, cost]].
 */
export function curveWindow({ costs, first, last, test }, log) {
  const t0 = costs.length ? first : (test[0]?.[0] ?? 0);
  const t1 = Math.max(last, t0 + 1);
  const shownTest = test.filter(([t]) => t >= t0 && t <= t1);
  const y = (c) => (log ? Math.log10(Math.max(c, 1e-12)) : c);
  const values = [...costs, ...shownTest.map(([, c]) => c)].filter((c) => Number.isFinite(c)).map(y);
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (log) {
    const pad = Math.max(0.05 * (hi - lo), 0.02);
    lo -= pad;
    hi += pad;
  } else {
    lo = Math.min(0, lo);
    hi += 0.04 * (hi - lo);
  }
  if (hi - lo < 1e-12) hi = lo + 1;
  return { t0, t1, lo, hi, test: shownTest };
}

/**
 * The line under the curve about where it starts: costs the server dropped (it keeps
 * the last `kept`), or a session that began at a later iteration; "" from iteration 0.
 */
export function historyNote(first, count, kept) {
  if (first <= 0) return "";
  const at = first.toLocaleString("en");
  if (kept && count >= kept) {
    return `Costs before iteration ${at} were dropped: the server keeps the last ${kept.toLocaleString("en")}.`;
  }
  return `The curve starts at iteration ${at}: earlier costs are not kept in this session.`;
}
