// Pure: one entry's arithmetic written out for the expansion panel. The engine
// sends the entry as an expression tree (GET …/terms: operations whose leaves
// name the entries they are, every node with its value); this module writes it
// out — the symbols, then the leaves' numbers, then each level's values as the
// engine computed them, down to the entry — and never computes a number itself.
// It also names entries (δ¹₀, ∂C/∂W²₁₀) and maps them to the diagram and to
// the terms query of the step that computes them.
import { formatNumber, fullPrecision, sup } from "./format.js";

const SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉";
const MINUS = "\u2212";

/** Subscript digits: sub(12) === "₁₂". */
export function sub(n) {
  return String(n).replace(/\d/g, (d) => SUBSCRIPTS[Number(d)]);
}

/** Indices as one subscript; a comma between them when one has two digits: W²₁₀, W²₁₂,₃. */
function subs(indices) {
  const parts = indices.map(sub);
  return parts.join(indices.every((i) => i < 10) ? "" : ",");
}

// Quantities whose arrays are nₗ × m: their second index is the sample.
const SAMPLED = new Set(["z", "a", "y", "grad_a", "sigma_prime", "delta", "weighted_error"]);

/** The sample an entry belongs to, or null (weights, biases, their gradients). */
export function sampleOf(ref) {
  if (SAMPLED.has(ref.quantity)) return ref.index[1] ?? null;
  return ref.quantity === "J" ? ref.index[0] : null;
}

const OPTIMIZER_SYMBOLS = { v: "v", s: "s", m: "m", m_hat: "m̂", v_hat: "v̂" };

/**
 * An entry's name in the math's notation: δ¹₀, W²₁₀, σ′(z¹₀), ∂C/∂b²₀. The
 * sample index is left out (the panel says which sample), or written ₓ when
 * `sampleX` (a term of a mean over the batch).
 */
export function symbolOf(ref, sampleX = false) {
  const { quantity: q, layer: l } = ref;
  const own = SAMPLED.has(q) ? ref.index.slice(0, 1) : q === "J" ? ref.index.slice(1) : ref.index;
  const i = subs(own) + (sampleX && SAMPLED.has(q) ? "ₓ" : "");
  const s = l === null || l === undefined ? "" : sup(l);
  const names = {
    W: () => `W${s}${i}`,
    b: () => `b${s}${i}`,
    z: () => `z${s}${i}`,
    a: () => `a${s}${i}`,
    y: () => `y${i}`,
    grad_a: () => `(∇ₐC)${i}`,
    sigma_prime: () => `σ′(z${s}${i})`,
    delta: () => `δ${s}${i}`,
    weighted_error: () => `((W${sup(l + 1)})ᵀδ${sup(l + 1)})${i}`,
    dC_dW: () => `∂C/∂W${s}${i}`,
    dC_db: () => `∂C/∂b${s}${i}`,
    J: () => `J${i}`,
    eta: () => "η",
    const: () => String(ref.value),
    W_new: () => `new W${s}${i}`,
    b_new: () => `new b${s}${i}`,
    eta_dC_dW: () => `η·∂C/∂W${s}${i}`,
    eta_dC_db: () => `η·∂C/∂b${s}${i}`,
    lambda: () => "λ",
  };
  const carried = /^(v|s|m|m_hat|v_hat)_([Wb])$/.exec(q); // an optimizer's: v_W, m_hat_b …
  if (carried) return `${OPTIMIZER_SYMBOLS[carried[1]]}(${carried[2]}${s})${i}`;
  return (names[q] ?? (() => `${q}${s}${i}`))();
}

// The step that computes each kind of entry, by the names of the terms route:
// ref quantity → [phase (or a function of layer and L), payload quantity].
const COMPUTED_BY = {
  z: ["forward", "z"],
  a: ["forward", "a"],
  grad_a: ["output_error", "grad_a"],
  sigma_prime: [(l, L) => (l === L ? "output_error" : "backward"), "sigma_prime"],
  delta: [(l, L) => (l === L ? "output_error" : "backward"), "delta"],
  weighted_error: ["backward", "weighted_error"],
  dC_dW: ["gradients", "weights"],
  dC_db: ["gradients", "biases"],
  W_new: ["update", "weights"],
  b_new: ["update", "biases"],
  eta_dC_dW: ["update", "eta_grad_weights"],
  eta_dC_db: ["update", "eta_grad_biases"],
};

/**
 * The terms query ({phase, layer, quantity, row, column}) for an entry, or
 * null when no step computes it (a weight before the update, an input, a
 * target, J, η: data, parameters or the engine's intermediate numbers).
 */
export function termsQuery(ref, L) {
  const by = COMPUTED_BY[ref.quantity];
  if (!by || ref.layer === null || ref.layer === undefined) return null;
  if (ref.quantity === "a" && ref.layer === 0) return null; // the input
  const [phase, quantity] = by;
  const query = { phase: typeof phase === "function" ? phase(ref.layer, L) : phase, layer: ref.layer, quantity };
  query.row = ref.index[0];
  if (ref.index.length > 1) query.column = ref.index[1];
  return query;
}

/** The entry a terms answer is about, as a ref (quantity named as in its leaves). */
export function entryRef(answer) {
  const found = Object.entries(COMPUTED_BY).find(
    ([q, [phase, quantity]]) =>
      quantity === answer.quantity &&
      (typeof phase === "function" ? ["output_error", "backward"].includes(answer.phase) : phase === answer.phase) &&
      !(q === "a" && answer.phase !== "forward"),
  );
  return { quantity: found ? found[0] : answer.quantity, layer: answer.layer, index: answer.index, value: answer.value };
}

/** What an entry that no step computes is, in a few words. */
export function leafNote(quantity) {
  if (/^(v|s|m|m_hat|v_hat)_[Wb]$/.test(quantity)) {
    return "The optimizer's quantity after this update, as the update step shows it (carried into the next iteration).";
  }
  return (
    {
      W: "A weight: set at the start, changed only by the update steps.",
      b: "A bias: set at the start, changed only by the update steps.",
      a: "An input of the batch (a⁰ = x).",
      y: "A target of the batch: the output the cost compares aᴸ with.",
      J: "An entry of the softmax's Jacobian at this sample: Jᵢⱼ = aᵢ(δᵢⱼ − aⱼ).",
      eta: "The learning rate η.",
      lambda: "The weight decay λ: the cost's L2 term (λ/2)·Σ‖W‖² adds λ·W to ∂C/∂W.",
    }[quantity] ?? "Not computed by any step of this iteration yet."
  );
}

/** Where an entry is drawn: its neuron (values, errors, biases) or its edge (weights). */
export function refTargets(ref, L) {
  const [i, j] = ref.index;
  switch (ref.quantity) {
    case "W":
    case "dC_dW":
    case "W_new":
    case "eta_dC_dW":
    case "v_W":
    case "s_W":
    case "m_W":
    case "m_hat_W":
    case "v_hat_W":
      return [{ edge: [ref.layer, i, j] }];
    case "y":
      return [{ neuron: [L, i] }];
    case "J":
      return [{ neuron: [L, ref.index[1]] }];
    case "eta":
    case "lambda":
    case "const":
      return [];
    default:
      return [{ neuron: [ref.layer, i] }];
  }
}

/** A ref's identity: "delta:2:0,1". */
export function refKey(ref) {
  return `${ref.quantity}:${ref.layer ?? ""}:${ref.index.join(",")}`;
}

const isLeaf = (node) => node.op === undefined;

/** Every entry the expression reads or passes through (its leaves and the nodes that equal one), once each. */
export function refsOf(expression) {
  const seen = new Map();
  const walk = (node) => {
    if (isLeaf(node)) {
      if (node.quantity !== "const") seen.set(refKey(node), node);
      return;
    }
    if (node.equals) seen.set(refKey(node.equals), node.equals);
    node.args.forEach(walk);
  };
  walk(expression);
  return [...seen.values()];
}

// ------------------------------------------------------------------ writing it out

// Binding strength of what a piece prints as: parentheses go around a weaker
// piece inside a stronger operation.
const ADD = 1;
const MUL = 2;
const NEG = 3; // a negative number or a negation: parenthesised after an operator
const ATOM = 4;

const FOLD_TERMS = 6; // a sum of more terms shows its first three, "…" and its last
const FOLD_SAMPLES = 4; // a mean over more samples lists its first three and its last

const op = (text) => ({ kind: "op", text });
const piece = (tokens, prec) => ({ tokens, prec });
const wrap = (p) => piece([op("("), ...p.tokens, op(")")], ATOM);

/** A number as the panel writes it: the page's digits, no "+" (signs read as operations here). */
function numberText(value, digits) {
  return formatNumber(value, digits).replace(/^\+/, "");
}

function numberPiece(value, ref, ctx) {
  const text = ref?.quantity === "const" ? String(value) : numberText(value, ctx.digits);
  const token = { kind: "num", text };
  if (ref && ref.quantity !== "const") token.ref = ref;
  return piece([token], text.startsWith(MINUS) ? NEG : ATOM);
}

/** The folded middle of a long list: its first three, a fold marker, its last. */
function folded(items, limit, ctx) {
  if (ctx.unfolded || items.length <= limit) return { shown: items, hidden: 0 };
  return { shown: [...items.slice(0, 3), null, items[items.length - 1]], hidden: items.length - 4 };
}

function joined(pieces, separator, ctx, what = "terms") {
  const { shown, hidden } = folded(pieces, what === "samples" ? FOLD_SAMPLES : FOLD_TERMS, ctx);
  if (hidden) ctx.folds.hidden = Math.max(ctx.folds.hidden, hidden);
  const tokens = [];
  shown.forEach((p, i) => {
    if (i > 0) tokens.push(op(separator));
    if (p === null) tokens.push({ kind: "fold", text: `… ${hidden} more ${what} …` });
    else tokens.push(...p.tokens);
  });
  return tokens;
}

// Functions written out; X is the argument's tokens (wrapped where it needs it).
const WRITTEN = {
  sigmoid: (X, Xn) => piece([op("1/(1 + e^(−"), ...Xn, op("))")], MUL),
  tanh: (X, Xn) => piece([op("(e^("), ...X, op(") − e^(−"), ...Xn, op("))/(e^("), ...X, op(") + e^(−"), ...Xn, op("))")], MUL),
  relu: (X) => piece([op("max(0, "), ...X, op(")")], ATOM),
  leaky_relu: (X, Xn) => piece([op("max(0.01·"), ...Xn, op(", "), ...X, op(")")], ATOM),
  exp: (X) => piece([op("e^("), ...X, op(")")], ATOM),
  step: (X) => piece([op("(1 if "), ...X, op(" > 0, else 0)")], ATOM),
  leaky_step: (X) => piece([op("(1 if "), ...X, op(" > 0, else 0.01)")], ATOM),
};
const NAMED = new Set(["sigmoid", "tanh", "relu", "leaky_relu", "linear", "step", "leaky_step"]);

function printApply(node, ctx) {
  const x = print(node.args[0], ctx);
  const fn = node.function;
  if (fn === "linear") return ctx.written ? x : piece([op("linear("), ...x.tokens, op(")")], ATOM);
  if (!ctx.written && NAMED.has(fn)) return piece([op(`${fn}(`), ...x.tokens, op(")")], ATOM);
  const Xn = x.prec < ATOM ? wrap(x).tokens : x.tokens; // after a minus or a product
  return (WRITTEN[fn] ?? ((X) => piece([op(`${fn}(`), ...X, op(")")], ATOM)))(x.tokens, Xn);
}

/**
 * The expression as tokens at one level of the write-out. ctx.level < 0 writes
 * symbols; level h writes every node of height ≤ h as the value the engine
 * gave it (leaves are height 0).
 */
function print(node, ctx) {
  const height = ctx.heights.get(node);
  if (isLeaf(node)) {
    if (ctx.level < 0) {
      const text = symbolOf(node, ctx.sampleX);
      const token = { kind: node.quantity === "const" ? "num" : "sym", text };
      if (node.quantity !== "const") token.ref = node;
      return piece([token], ATOM);
    }
    return numberPiece(node.value, node, ctx);
  }
  if (ctx.level >= height) return numberPiece(node.value, node.equals ?? null, ctx);
  const args = () => node.args.map((a) => print(a, ctx));
  switch (node.op) {
    case "sum":
      return piece(
        joined(args().map((p, i) => (i > 0 && p.prec === NEG ? wrap(p) : p)), " + ", ctx),
        ADD,
      );
    case "difference": {
      const [a, b] = args();
      return piece([...a.tokens, op(" − "), ...(b.prec <= ADD || b.prec === NEG ? wrap(b) : b).tokens], ADD);
    }
    case "product": {
      const parts = args();
      const separator = parts.every((p) => p.prec >= NEG) ? "·" : " · ";
      // a negative factor in parentheses, the first too: "(−0.2)·0.5" reads well after a "+"
      const wrapped = parts.map((p) => (p.prec < MUL || p.prec === NEG ? wrap(p) : p));
      return piece(
        wrapped.flatMap((p, i) => (i > 0 ? [op(separator), ...p.tokens] : p.tokens)),
        MUL,
      );
    }
    case "quotient": {
      const [a, b] = args();
      const top = a.prec < MUL ? wrap(a) : a;
      const bottom = b.prec <= MUL || b.prec === NEG ? wrap(b) : b;
      return piece([...top.tokens, op("/"), ...bottom.tokens], MUL);
    }
    case "negate": {
      const [a] = args();
      // −(0): a negated zero is shown as the operation, never as the number −0
      const zero = a.tokens.length === 1 && a.tokens[0].text === "0";
      return piece([op(MINUS), ...(a.prec < ATOM || zero ? wrap(a) : a).tokens], NEG);
    }
    case "mean": {
      const m = node.args.length;
      const terms = args().map((p, i) => (i > 0 && p.prec === NEG ? wrap(p) : p));
      return piece([op(`(1/${m})·(`), ...joined(terms, " + ", ctx, ctx.what), op(")")], MUL);
    }
    case "apply":
      return printApply(node, ctx);
    default:
      return piece([op(`${node.op}(`), ...joined(args(), ", ", ctx), op(")")], ATOM);
  }
}

function heightsOf(root) {
  const heights = new Map();
  const walk = (node) => {
    const h = isLeaf(node) ? 0 : 1 + Math.max(...node.args.map(walk));
    heights.set(node, h);
    return h;
  };
  walk(root);
  return heights;
}

/** Consecutive op tokens as one (fewer DOM nodes, same text). */
function merged(tokens) {
  const out = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (t.kind === "op" && last?.kind === "op") last.text += t.text;
    else out.push({ ...t });
  }
  return out;
}

const textOf = (tokens) => tokens.map((t) => t.text).join("");

/**
 * The symbols, the numbers, each level's values, then `last` (the entry as the
 * trace holds it, or a term's value): one line each, repeats dropped.
 */
function inlineLines(root, ctx, last) {
  const c = { ...ctx, heights: heightsOf(root) };
  const lines = [];
  const add = (kind, tokens) => {
    const previous = lines[lines.length - 1];
    if (previous && textOf(previous.tokens) === textOf(tokens)) return;
    lines.push({ kind, tokens });
  };
  add("symbols", print(root, { ...c, level: -1, written: false }).tokens);
  add("symbols", print(root, { ...c, level: -1, written: true }).tokens);
  const height = c.heights.get(root);
  for (let level = 0; level < height; level += 1) add("numbers", print(root, { ...c, level, written: true }).tokens);
  add("result", numberPiece(last.value, last.ref, c).tokens);
  return lines;
}

/** A mean over the batch: the general term, one line per sample (folded), the mean, the entry. */
function meanLines(root, entry, ctx) {
  const m = root.args.length;
  const general = print(root.args[0], { ...ctx, heights: heightsOf(root.args[0]), level: -1, sampleX: true });
  const lines = [{ kind: "symbols", tokens: [op(`(1/${m})·Σₓ `), ...general.tokens] }];
  const { shown, hidden } = folded(root.args, FOLD_SAMPLES, ctx);
  if (hidden) ctx.folds.hidden = Math.max(ctx.folds.hidden, hidden);
  for (const arg of shown) {
    if (arg === null) {
      lines.push({ kind: "fold", tokens: [{ kind: "fold", text: `… ${hidden} more samples …` }] });
      continue;
    }
    // one line per sample: its symbols = its numbers = … = its value
    const steps = inlineLines(arg, ctx, { value: arg.value, ref: isLeaf(arg) ? arg : null });
    const tokens = steps.flatMap((line, i) => (i > 0 ? [op(" = "), ...line.tokens] : line.tokens));
    lines.push({ kind: "sample", label: `x = ${sampleOf(firstSampledLeaf(arg))}`, tokens });
  }
  const heights = heightsOf(root);
  const values = print(root, { ...ctx, heights, level: heights.get(root) - 1, written: true, what: "samples" });
  lines.push({ kind: "numbers", tokens: values.tokens });
  lines.push({ kind: "result", tokens: numberPiece(entry.value, entry, ctx).tokens });
  return lines;
}

function firstSampledLeaf(node) {
  if (isLeaf(node)) return SAMPLED.has(node.quantity) ? node : null;
  for (const a of node.args) {
    const found = firstSampledLeaf(a);
    if (found) return found;
  }
  return null;
}

const WHERE = {
  forward: "forward",
  output_error: "output error",
  backward: "backward",
  gradients: "gradients",
  update: "update",
};

/**
 * The expansion of a terms answer, as plain data the view puts in the DOM:
 * {title, where, lines: [{kind: "symbols"|"numbers"|"sample"|"fold"|"result",
 * label?, tokens: [{kind: "sym"|"num"|"op"|"fold", text, ref?}]}], hidden
 * (terms or samples folded away), exact (the entry at full precision), notes}.
 * The first line starts with the entry's name, the others with "=". opts:
 * {digits, m (the batch size), unfolded}.
 */
export function layoutTerms(answer, opts = {}) {
  const { digits = 4, m = 1, unfolded = false } = opts;
  const entry = entryRef(answer);
  const root = answer.expression;
  const ctx = { digits, unfolded, folds: { hidden: 0 }, sampleX: false, what: "terms" }; // folds: shared by every copy
  const body =
    !isLeaf(root) && root.op === "mean" ? meanLines(root, entry, ctx) : inlineLines(root, ctx, { value: answer.value, ref: entry });
  if (textOf(body[0].tokens) === symbolOf(entry)) body.shift(); // η·∂C/∂W is its own symbols
  const lines = body.map((line, i) => {
    if (line.kind === "sample" || line.kind === "fold") return { ...line, tokens: merged(line.tokens) };
    const lead = i === 0 ? [{ kind: "sym", text: symbolOf(entry), ref: entry }, op(" = ")] : [op("= ")];
    return { ...line, tokens: merged([...lead, ...line.tokens]) };
  });
  const sample = sampleOf(entry);
  const where = [WHERE[answer.phase] ?? answer.phase, `layer ${answer.layer}`];
  if (m > 1 && sample !== null) where.push(`sample ${sample}`);
  if (root.op === "mean") where.push(`mean over the ${m} sample${m === 1 ? "" : "s"}`);
  const notes = [];
  if (answer.shortcut === "a_minus_y") {
    notes.push("For this cost and output activation ∇ₐC ⊙ σ′ (or Jᵀ∇ₐC) simplifies to a − y: the engine computes δᴸ that way.");
  }
  if (refsOf(root).some((r) => r.quantity === "J")) {
    notes.push(`J is the softmax's Jacobian at sample ${sample}: Jᵢⱼ = aᵢ(δᵢⱼ − aⱼ), from the trace.`);
  }
  return { title: symbolOf(entry), where: where.join(" · "), lines, hidden: ctx.folds.hidden, exact: fullPrecision(answer.value), notes };
}
