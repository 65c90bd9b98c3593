// Pure: turns the API's trace and the current step into the equation the
// panel shows — a typeset formula and lines of operands with their numbers.
// It selects and arranges the API's matrices (a transpose is a re-indexing,
// never arithmetic); it computes nothing the engine computes. Each matrix
// says which entries it shows (`source`, in the terms route's names), so a
// cell, an entry of the engine's expansion and a neuron or edge of the
// diagram can be matched with one another.
import { sup } from "./format.js";

/** Rows of a matrix swapped with its columns (re-indexing only). */
export function transpose(matrix) {
  if (matrix.length === 0) return [];
  return matrix[0].map((_, c) => matrix.map((row) => row[c]));
}

/** A flat vector as an n×1 column. */
export function column(vector) {
  return vector.map((x) => [x]);
}

const byLayer = (entries, l) => entries.find((e) => e.layer === l);

/** a^l of the trace: the batch inputs for l = 0, else the forward pass's a. */
export function activationOf(trace, l) {
  return l === 0 ? trace.batch.a0 : byLayer(trace.forward, l).a;
}

/** δ^l of the trace: the output error for l = L, else the backward pass's δ. */
export function deltaOf(trace, l) {
  const L = trace.network.layers.length - 1;
  return l === L ? trace.output_error.delta : byLayer(trace.backward, l).delta;
}

const ACT_TEX = {
  sigmoid: "\\operatorname{sigmoid}",
  tanh: "\\tanh",
  relu: "\\operatorname{ReLU}",
  leaky_relu: "\\operatorname{LReLU}",
  linear: "\\operatorname{id}",
  softmax: "\\operatorname{softmax}",
};

/** A setting as TeX: 1e-8 as 1 × 10⁻⁸ (the number itself, not recomputed). */
const texNum = (x) => {
  const [mantissa, exponent] = String(x).split("e");
  return exponent === undefined ? mantissa : `${mantissa === "1" ? "" : `${mantissa} \\times `}10^{${Number(exponent)}}`;
};

// Each optimizer's update for a parameter θ (Wˡ and bˡ alike), g = ∂C/∂θ
const G = "g";
// One short row per assignment: a phone (or a narrow panel) cannot hold more on one
const rows = (...lines) => `\\begin{gathered} ${lines.join(" \\\\ ")} \\end{gathered}`;
const GIVEN = `\\theta = W, b;\\ ${G} = \\tfrac{\\partial C}{\\partial \\theta}`;
const OPTIMIZER_TEX = {
  momentum: (o) =>
    rows(
      `v \\leftarrow \\mu v + ${G}`,
      `\\theta \\leftarrow \\theta - \\eta ${o.nesterov ? `\\left(${G} + \\mu v\\right)` : "v"}`,
      `\\left(${GIVEN};\\ \\mu = ${texNum(o.momentum)}\\right)`,
    ),
  rmsprop: (o) =>
    rows(
      `s \\leftarrow \\alpha s + (1 - \\alpha)\\, ${G}^2`,
      `\\theta \\leftarrow \\theta - \\frac{\\eta\\, ${G}}{\\sqrt{s} + \\epsilon}`,
      `\\left(${GIVEN}\\right)`,
      `\\left(\\alpha = ${texNum(o.alpha)},\\ \\epsilon = ${texNum(o.eps)}\\right)`,
    ),
  adam: (o) =>
    rows(
      `m \\leftarrow \\beta_1 m + (1 - \\beta_1)\\, ${G}`,
      `v \\leftarrow \\beta_2 v + (1 - \\beta_2)\\, ${G}^2`,
      `\\hat m = \\frac{m}{1 - \\beta_1^{t}}, \\quad \\hat v = \\frac{v}{1 - \\beta_2^{t}}`,
      `\\theta \\leftarrow \\theta - \\frac{\\eta\\, \\hat m}{\\sqrt{\\hat v} + \\epsilon}`,
      `\\left(${GIVEN}\\right)`,
      `\\left(\\beta_1 = ${texNum(o.beta1)},\\ \\beta_2 = ${texNum(o.beta2)},\\ \\epsilon = ${texNum(o.eps)},\\ t = ${o.t}\\right)`,
    ),
};


// The optimizer's quantities (the trace's optimizer_weights keys) with how each is made
const SHOWN = {
  momentum: [["v", "v", "v", () => "μ·v + g"]],
  rmsprop: [["s", "s", "s", () => "α·s + (1 − α)·g²"]],
  adam: [
    ["m", "m", "m", () => "β₁·m + (1 − β₁)·g"],
    ["v", "v", "v", () => "β₂·v + (1 − β₂)·g²"],
    ["m_hat", "m̂", "\\hat m", (o) => `m / (1 − β₁ᵗ), t = ${o.t}`],
    ["v_hat", "v̂", "\\hat v", (o) => `v / (1 − β₂ᵗ), t = ${o.t}`],
  ],
};

/** The step an optimizer subtracts, in words: η·∂C/∂W for sgd, η·v for momentum … */
export function stepLabel(optimizer, p) {
  switch (optimizer?.name) {
    case "momentum":
      return optimizer.nesterov ? `η·(∂C/∂${p} + μ·v)` : `η·v`;
    case "rmsprop":
      return `η·(∂C/∂${p}) / (√s + ε)`;
    case "adam":
      return `η·m̂ / (√v̂ + ε)`;
    default:
      return `η·∂C/∂${p}`;
  }
}

/** The names of an optimizer's quantities, as the trace keys them, with their labels. */
export function shownQuantities(optimizer) {
  return (SHOWN[optimizer?.name] ?? []).map(([key, text]) => ({ key, text }));
}

/** The typeset formula (KaTeX source) of a step. */
export function formulaTex(step, trace) {
  const l = step.layer;
  const L = trace.network.layers.length - 1;
  const act = ACT_TEX[trace.network.activations[l - 1]] ?? "\\sigma";
  const T = "^{\\mathsf{T}}";
  switch (step.phase) {
    case "forward":
      return `z^{${l}} = W^{${l}} a^{${l - 1}} + b^{${l}}, \\qquad a^{${l}} = ${act}\\left(z^{${l}}\\right)`;
    case "output_error":
      if (trace.output_error.form === "softmax_jacobian") {
        return `\\delta^{${L}} = J_{\\operatorname{softmax}}\\!\\left(z^{${L}}\\right)${T}\\, \\nabla_{a} C`;
      }
      return `\\delta^{${L}} = \\nabla_{a} C \\odot \\sigma'\\!\\left(z^{${L}}\\right)`;
    case "backward":
      return `\\delta^{${l}} = \\left(\\left(W^{${l + 1}}\\right)${T} \\delta^{${l + 1}}\\right) \\odot \\sigma'\\!\\left(z^{${l}}\\right)`;
    case "gradients": {
      const decay = trace.weight_decay ? ` + \\lambda W^{${l}}` : "";
      return `\\frac{\\partial C}{\\partial W^{${l}}} = \\frac{1}{m}\\, \\delta^{${l}} \\left(a^{${l - 1}}\\right)${T}${decay}, \\qquad \\frac{\\partial C}{\\partial b^{${l}}} = \\frac{1}{m} \\sum_{x} \\delta^{${l}}_{x}`;
    }
    case "update":
      return OPTIMIZER_TEX[trace.optimizer?.name]?.(trace.optimizer) ?? `W^{${l}} \\leftarrow W^{${l}} - \\eta \\frac{\\partial C}{\\partial W^{${l}}}, \\qquad b^{${l}} \\leftarrow b^{${l}} - \\eta \\frac{\\partial C}{\\partial b^{${l}}}`;
    default:
      return "";
  }
}

function shapeOf(data) {
  return [data.length, data.length ? data[0].length : 0];
}

/**
 * One matrix operand. `name(i, j)` names a displayed cell after its source
 * ("W²[1][0]"); `diagram(i, j)` says which neuron or edge it belongs to.
 */
function matrix(key, text, tex, data, opts = {}) {
  return {
    kind: "matrix",
    key,
    text,
    tex,
    data,
    shape: opts.shape ?? shapeOf(data),
    vector: Boolean(opts.vector),
    scale: opts.scale ?? "value",
    cols: opts.cols ?? "index",
    rows: opts.rows ?? "index",
    role: opts.role ?? "operand",
    layer: opts.layer,
    name: opts.name ?? ((i, j) => `${text}[${i}][${j}]`),
    diagram: opts.diagram ?? (() => null),
    rangeGroup: opts.rangeGroup ?? key,
    source: opts.source ?? null,
  };
}

// What a matrix shows, by the terms route's names (terms.js): the entries of
// `quantity` at `layer`, with how an entry's index maps to a cell and back.
const entriesOf = (quantity, layer) => ({ quantity, layer, cell: (ix) => [ix[0], ix[1]], index: (r, c) => [r, c] });
const transposedOf = (quantity, layer) => ({ quantity, layer, cell: (ix) => [ix[1], ix[0]], index: (r, c) => [c, r] });
const vectorOf = (quantity, layer) => ({ quantity, layer, cell: (ix) => [ix[0], 0], index: (r) => [r] });
// one sample's softmax Jacobian (the trace holds one n × n matrix per sample)
const jacobianOf = (layer, x) => ({
  quantity: "J",
  layer,
  cell: (ix) => (ix[0] === x ? [ix[1], ix[2]] : null),
  index: (r, c) => [x, r, c],
});

// σ′ from z or a, elementwise, per activation (what the engine's terms expand)
const SIGMA_PRIME_TEXT = {
  sigmoid: (s) => `a${s} ⊙ (1 − a${s})`,
  tanh: (s) => `1 − a${s} ⊙ a${s}`,
  relu: (s) => `(z${s} > 0 ? 1 : 0)`,
  leaky_relu: (s) => `(z${s} > 0 ? 1 : 0.01)`,
  linear: () => "1",
};
// ∇ₐC per cost, elementwise (⊘ divides elementwise)
const GRAD_A_TEXT = {
  quadratic: (s) => `a${s} − y`,
  cross_entropy: (s) => `(a${s} − y) ⊘ (a${s} ⊙ (1 − a${s}))`,
  softmax_cross_entropy: (s) => `−y ⊘ a${s}`,
};
const JACOBIAN_MAX = 10; // a softmax output wider than this shows J as a symbol

const op = (text) => ({ kind: "op", text });
const scalar = (key, text, tex, value) => ({ kind: "scalar", key, text, tex, value });

const neuron = (layer) => (i) => ({ neuron: [layer, i] });
const edge = (layer) => (j, k) => ({ edge: [layer, j, k] });
const edgeT = (layer) => (r, c) => ({ edge: [layer, c, r] });
const sameCell = (keys) => (i, j) => keys.map((key) => ({ key, cells: [[i, j]] }));

/**
 * The lines of the numeric equation for a step. Each line is
 * {terms: [matrix | op | scalar], links(resultKey, i, j) → [{key, cells}]}.
 * opts: {cost (the session's cost: how ∇ₐC is written), sample (the sample
 * whose softmax Jacobian is shown; 0 by default)}.
 */
export function equationLines(step, trace, opts = {}) {
  const l = step.layer;
  const net = trace.network;
  const L = net.layers.length - 1;
  const m = trace.batch.a0[0]?.length ?? 0;
  const s = sup(l);
  const sampleCols = { cols: "samples" };
  const colOf = (rows, c) => rows.map((_, r) => [r, c]);
  const rowOf = (n, r) => Array.from({ length: n }, (_, c) => [r, c]);

  switch (step.phase) {
    case "forward": {
      const W = net.weights[l - 1];
      const aPrev = activationOf(trace, l - 1);
      const f = byLayer(trace.forward, l);
      const nPrev = net.layers[l - 1];
      return [
        {
          terms: [
            matrix("weights", `W${s}`, `W^{${l}}`, W, { layer: l, diagram: edge(l), source: entriesOf("W", l) }),
            op("·"),
            matrix("a_prev", `a${sup(l - 1)}`, `a^{${l - 1}}`, aPrev, {
              ...sampleCols,
              layer: l - 1,
              diagram: neuron(l - 1),
              source: entriesOf("a", l - 1),
            }),
            op("+"),
            matrix("biases", `b${s}`, `b^{${l}}`, column(net.biases[l - 1]), {
              vector: true,
              shape: [net.biases[l - 1].length],
              layer: l,
              name: (i) => `b${s}[${i}]`,
              diagram: neuron(l),
              source: vectorOf("b", l),
            }),
            op("="),
            matrix("z", `z${s}`, `z^{${l}}`, f.z, {
              ...sampleCols,
              role: "result",
              layer: l,
              diagram: neuron(l),
              source: entriesOf("z", l),
            }),
          ],
          links: (i, j) => [
            { key: "weights", cells: rowOf(nPrev, i) },
            { key: "a_prev", cells: colOf(aPrev, j) },
            { key: "biases", cells: [[i, 0]] },
          ],
        },
        {
          // z is the result just above: referred to by name, not repeated
          terms: [
            op(`${net.activations[l - 1]}(z${s}) =`),
            matrix("a", `a${s}`, `a^{${l}}`, f.a, {
              ...sampleCols,
              role: "result",
              layer: l,
              diagram: neuron(l),
              source: entriesOf("a", l),
            }),
          ],
          // softmax mixes a whole column; every other activation is elementwise
          links:
            net.activations[l - 1] === "softmax"
              ? (i, j) => [{ line: 0, key: "z", cells: colOf(f.z, j) }]
              : (i, j) => [{ line: 0, key: "z", cells: [[i, j]] }],
        },
      ];
    }
    case "output_error": {
      const oe = trace.output_error;
      const f = byLayer(trace.forward, L);
      const S = sup(L);
      const err = { ...sampleCols, scale: "error", layer: L, diagram: neuron(L) };
      const gradText = GRAD_A_TEXT[opts.cost]?.(S) ?? `∇ₐC(a${S}, y)`;
      // ∇ₐC from aᴸ and the targets y: every operand of the cost's gradient on screen
      const gradLine = {
        terms: [
          matrix("a", `a${S}`, `a^{${L}}`, f.a, { ...sampleCols, layer: L, diagram: neuron(L), source: entriesOf("a", L) }),
          op(","),
          matrix("y", "y", "y", trace.batch.y, { ...sampleCols, layer: L, diagram: neuron(L), source: entriesOf("y", null) }),
          op(`→ ${gradText} =`),
          matrix("grad_a", "∇ₐC", "\\nabla_a C", oe.grad_a, { ...err, role: "result", source: entriesOf("grad_a", L) }),
        ],
        links: sameCell(["a", "y"]),
      };
      const delta = () => ({ ...err, role: "result", source: entriesOf("delta", L) });
      if (oe.form === "softmax_jacobian" || oe.sigma_prime === null) {
        const n = net.layers[L];
        const x = Math.min(opts.sample ?? 0, Math.max(m - 1, 0));
        const J = oe.jacobian?.[x];
        const gradCol = (j) => ({ line: 0, key: "grad_a", cells: colOf(oe.grad_a, j) });
        if (!J || n > JACOBIAN_MAX) {
          return [gradLine, { terms: [op("Jᵀ · ∇ₐC ="), deltaMatrix(oe.delta, delta())], links: (i, j) => [gradCol(j)] }];
        }
        const label = m > 1 ? `J (sample ${x})` : "J";
        const jLine = {
          terms: [
            matrix("jacobian", label, `J_{${x}}`, J, {
              layer: L,
              name: (i, j) => `J[${i}][${j}]${m > 1 ? ` of sample ${x}` : ""}`,
              diagram: neuron(L),
              source: jacobianOf(L, x),
            }),
            op("ᵀ · ∇ₐC ="),
            deltaMatrix(oe.delta, delta()),
          ],
          // δᵢ of sample j reads column i of that sample's J
          links: (i, j) => [{ key: "jacobian", cells: j === x ? J.map((_, k) => [k, i]) : [] }, gradCol(j)],
        };
        return [gradLine, jLine];
      }
      return [
        gradLine,
        sigmaPrimeLine(trace, L, oe.sigma_prime),
        {
          // ∇ₐC and σ′ are the results just above: referred to by name
          terms: [op(`∇ₐC ⊙ σ′(z${S}) =`), deltaMatrix(oe.delta, delta())],
          links: (i, j) => [
            { line: 0, key: "grad_a", cells: [[i, j]] },
            { line: 1, key: "sigma_prime", cells: [[i, j]] },
          ],
        },
      ];
    }
    case "backward": {
      const b = byLayer(trace.backward, l);
      const Wn = net.weights[l]; // W^{l+1}: (n_{l+1}, n_l)
      const WnT = transpose(Wn); // (n_l, n_{l+1})
      const dNext = deltaOf(trace, l + 1);
      const n = sup(l + 1);
      const err = { ...sampleCols, scale: "error" };
      return [
        {
          terms: [
            matrix("weights_T", `(W${n})ᵀ`, `(W^{${l + 1}})^{\\mathsf{T}}`, WnT, {
              layer: l + 1,
              name: (r, c) => `W${n}[${c}][${r}]`,
              diagram: edgeT(l + 1),
              source: transposedOf("W", l + 1),
            }),
            op("·"),
            matrix("delta_next", `δ${n}`, `\\delta^{${l + 1}}`, dNext, {
              ...err,
              layer: l + 1,
              diagram: neuron(l + 1),
              source: entriesOf("delta", l + 1),
            }),
            op("="),
            matrix("weighted_error", `(W${n})ᵀδ${n}`, `(W^{${l + 1}})^{\\mathsf{T}}\\delta^{${l + 1}}`, b.weighted_error, {
              ...err,
              role: "result",
              layer: l,
              diagram: neuron(l),
              source: entriesOf("weighted_error", l),
            }),
          ],
          links: (i, j) => [
            { key: "weights_T", cells: rowOf(WnT[0]?.length ?? 0, i) },
            { key: "delta_next", cells: colOf(dNext, j) },
          ],
        },
        sigmaPrimeLine(trace, l, b.sigma_prime),
        {
          // the weighted error and σ′ are the results just above: referred to by name
          terms: [
            op(`(W${n})ᵀδ${n} ⊙ σ′(z${s}) =`),
            matrix("delta", `δ${s}`, `\\delta^{${l}}`, b.delta, {
              ...err,
              role: "result",
              layer: l,
              diagram: neuron(l),
              source: entriesOf("delta", l),
            }),
          ],
          links: (i, j) => [
            { line: 0, key: "weighted_error", cells: [[i, j]] },
            { line: 1, key: "sigma_prime", cells: [[i, j]] },
          ],
        },
      ];
    }
    case "gradients": {
      const g = byLayer(trace.gradients, l);
      const d = deltaOf(trace, l);
      const aPrevT = transpose(activationOf(trace, l - 1)); // (m, n_{l-1})
      const p = sup(l - 1);
      return [
        {
          terms: [
            scalar("inv_m", `1/${m}`, `\\tfrac{1}{${m}}`, null),
            op("·"),
            matrix("delta", `δ${s}`, `\\delta^{${l}}`, d, {
              ...sampleCols,
              scale: "error",
              layer: l,
              diagram: neuron(l),
              source: entriesOf("delta", l),
            }),
            op("·"),
            matrix("a_prev_T", `(a${p})ᵀ`, `(a^{${l - 1}})^{\\mathsf{T}}`, aPrevT, {
              cols: "index",
              rows: "samples",
              layer: l - 1,
              name: (r, c) => `a${p}[${c}][${r}]`,
              diagram: (r, c) => ({ neuron: [l - 1, c] }),
              source: transposedOf("a", l - 1),
            }),
            ...(g.l2
              ? [
                  op(`+ λ·W${s} (λ = ${trace.weight_decay}):`),
                  matrix("l2", `λW${s}`, `\\lambda W^{${l}}`, g.l2, {
                    scale: "error",
                    layer: l,
                    name: (j, k) => `λ·W${s}[${j}][${k}]`,
                    diagram: edge(l),
                  }),
                ]
              : []),
            op("="),
            matrix("grad_weights", `∂C/∂W${s}`, `\\frac{\\partial C}{\\partial W^{${l}}}`, g.weights, {
              scale: "error",
              role: "result",
              layer: l,
              name: (j, k) => `∂C/∂W${s}[${j}][${k}]`,
              diagram: edge(l),
              source: entriesOf("dC_dW", l),
            }),
          ],
          links: (j, k) => [
            { key: "delta", cells: rowOf(m, j) },
            { key: "a_prev_T", cells: aPrevT.map((_, r) => [r, k]) },
            ...(g.l2 ? [{ key: "l2", cells: [[j, k]] }] : []),
          ],
        },
        {
          // δ is the operand just above: referred to by name, not repeated
          terms: [
            scalar("inv_m", `1/${m}`, `\\tfrac{1}{${m}}`, null),
            op(`· (sum of the ${m} column${m === 1 ? "" : "s"} of δ${s}) =`),
            matrix("grad_biases", `∂C/∂b${s}`, `\\frac{\\partial C}{\\partial b^{${l}}}`, column(g.biases), {
              vector: true,
              shape: [g.biases.length],
              scale: "error",
              role: "result",
              layer: l,
              name: (j) => `∂C/∂b${s}[${j}]`,
              diagram: neuron(l),
              source: vectorOf("dC_db", l),
            }),
          ],
          links: (j) => [{ line: 0, key: "delta", cells: rowOf(m, j) }],
        },
      ];
    }
    case "update": {
      const u = byLayer(trace.update, l);
      const W = net.weights[l - 1];
      const bias = net.biases[l - 1];
      const eta = trace.learning_rate;
      const o = trace.optimizer;
      // the optimizer's quantities after this update: one line each, for Wˡ and bˡ
      const shown = (SHOWN[o?.name] ?? []).map(([key, text, tex, how]) => ({
        terms: [
          op(`${text} = ${how(o)}:`),
          matrix(`${key}_weights`, `${text}(W${s})`, `${tex}_{W^{${l}}}`, u.optimizer_weights[key], {
            scale: "error",
            layer: l,
            name: (j, k) => `${text}(W${s})[${j}][${k}]`,
            diagram: edge(l),
            source: entriesOf(`${key}_W`, l),
          }),
          op(","),
          matrix(`${key}_biases`, `${text}(b${s})`, `${tex}_{b^{${l}}}`, column(u.optimizer_biases[key]), {
            vector: true,
            shape: [u.optimizer_biases[key].length],
            scale: "error",
            layer: l,
            name: (j) => `${text}(b${s})[${j}]`,
            diagram: neuron(l),
            source: vectorOf(`${key}_b`, l),
          }),
        ],
        links: sameCell([]),
      }));
      const stepW = stepLabel(o, `W${s}`);
      const stepB = stepLabel(o, `b${s}`);
      return [
        ...shown,
        {
          terms: [
            matrix("weights", `W${s}`, `W^{${l}}`, W, { layer: l, diagram: edge(l), rangeGroup: "w", source: entriesOf("W", l) }),
            op("−"),
            matrix("eta_grad_weights", stepW, `\\eta \\frac{\\partial C}{\\partial W^{${l}}}`, u.eta_grad_weights, {
              scale: "error",
              layer: l,
              name: (j, k) => `${stepW}[${j}][${k}]`,
              diagram: edge(l),
              source: entriesOf("eta_dC_dW", l),
            }),
            op("="),
            matrix("new_weights", `W${s} new`, `W^{${l}}_{\\text{new}}`, u.weights, {
              role: "result",
              layer: l,
              name: (j, k) => `new W${s}[${j}][${k}]`,
              diagram: edge(l),
              rangeGroup: "w",
              source: entriesOf("W_new", l),
            }),
          ],
          links: sameCell(["weights", "eta_grad_weights"]),
          eta,
        },
        {
          terms: [
            matrix("biases", `b${s}`, `b^{${l}}`, column(bias), {
              vector: true,
              shape: [bias.length],
              layer: l,
              name: (j) => `b${s}[${j}]`,
              diagram: neuron(l),
              rangeGroup: "b",
              source: vectorOf("b", l),
            }),
            op("−"),
            matrix("eta_grad_biases", stepB, `\\eta \\frac{\\partial C}{\\partial b^{${l}}}`, column(u.eta_grad_biases), {
              vector: true,
              shape: [u.eta_grad_biases.length],
              scale: "error",
              layer: l,
              name: (j) => `${stepB}[${j}]`,
              diagram: neuron(l),
              source: vectorOf("eta_dC_db", l),
            }),
            op("="),
            matrix("new_biases", `b${s} new`, `b^{${l}}_{\\text{new}}`, column(u.biases), {
              vector: true,
              shape: [u.biases.length],
              role: "result",
              layer: l,
              name: (j) => `new b${s}[${j}]`,
              diagram: neuron(l),
              rangeGroup: "b",
              source: vectorOf("b_new", l),
            }),
          ],
          links: sameCell(["biases", "eta_grad_biases"]),
        },
      ];
    }
    default:
      return [];
  }
}

/** The output error's δᴸ as a result matrix (opts from equationLines). */
function deltaMatrix(data, opts) {
  const L = opts.layer;
  return matrix("delta", `δ${sup(L)}`, `\\delta^{${L}}`, data, opts);
}

/** σ′(zˡ) with what it is computed from on screen: zˡ and aˡ, then σ′ itself. */
function sigmaPrimeLine(trace, l, sigmaPrime) {
  const f = byLayer(trace.forward, l);
  const s = sup(l);
  const at = { cols: "samples", layer: l, diagram: neuron(l) };
  const text = SIGMA_PRIME_TEXT[trace.network.activations[l - 1]]?.(s) ?? `σ′(z${s})`;
  return {
    terms: [
      matrix("z", `z${s}`, `z^{${l}}`, f.z, { ...at, source: entriesOf("z", l) }),
      op(","),
      matrix("a", `a${s}`, `a^{${l}}`, f.a, { ...at, source: entriesOf("a", l) }),
      op(`→ ${text} =`),
      matrix("sigma_prime", `σ′(z${s})`, `\\sigma'(z^{${l}})`, sigmaPrime, { ...at, role: "result", source: entriesOf("sigma_prime", l) }),
    ],
    links: sameCell(["z", "a"]),
  };
}

// ------------------------------------------------------------------ matching cells

const sameTarget = (a, b) =>
  Boolean(a && b) &&
  ((a.neuron && b.neuron && a.neuron[0] === b.neuron[0] && a.neuron[1] === b.neuron[1]) ||
    (a.edge && b.edge && a.edge.every((v, i) => v === b.edge[i])));

const matricesOf = (lines) =>
  lines.flatMap((line, li) => line.terms.filter((t) => t.kind === "matrix").map((term) => ({ li, term })));

/** One cell of a matrix term: its name, its value, the entry it shows ({quantity, layer, index}) and its diagram target. */
export function describeCell(term, r, c) {
  const { source } = term;
  return {
    name: term.vector ? term.name(r) : term.name(r, c),
    value: term.data[r]?.[term.vector ? 0 : c],
    ref: source ? { quantity: source.quantity, layer: source.layer, index: term.vector ? source.index(r) : source.index(r, c) } : null,
    diagram: term.vector ? term.diagram(r) : term.diagram(r, c),
  };
}

/**
 * The cells that show a neuron or an edge of the diagram (its `target`): every
 * matrix's cells whose diagram target it is, for the sample the diagram shows.
 * [{line, key, row, col, role}], in the order of the lines.
 */
export function findCells(lines, target, sample) {
  const found = [];
  for (const { li, term } of matricesOf(lines)) {
    term.data.forEach((row, r) => {
      if (term.rows === "samples" && r !== sample) return;
      row.forEach((_, c) => {
        if (term.cols === "samples" && !term.vector && c !== sample) return;
        if (sameTarget(term.vector ? term.diagram(r) : term.diagram(r, c), target)) {
          found.push({ line: li, key: term.key, row: r, col: c, role: term.role });
        }
      });
    });
  }
  return found;
}

/** The cells that show an entry of the engine's expansion (a ref: {quantity, layer, index}). */
export function refCells(lines, ref) {
  const found = [];
  for (const { li, term } of matricesOf(lines)) {
    const { source } = term;
    if (!source || source.quantity !== ref.quantity || (source.layer ?? null) !== (ref.layer ?? null)) continue;
    const cell = source.cell(ref.index);
    if (cell && term.data[cell[0]]?.[cell[1]] !== undefined) found.push({ line: li, key: term.key, row: cell[0], col: cell[1] });
  }
  return found;
}
