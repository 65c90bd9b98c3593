// Pure: turns the API's trace and the current step into the equation the
// panel shows — a typeset formula and lines of operands with their numbers.
// It selects and arranges the API's matrices (a transpose is a re-indexing,
// never arithmetic); it computes nothing the engine computes.
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
    case "gradients":
      return `\\frac{\\partial C}{\\partial W^{${l}}} = \\frac{1}{m}\\, \\delta^{${l}} \\left(a^{${l - 1}}\\right)${T}, \\qquad \\frac{\\partial C}{\\partial b^{${l}}} = \\frac{1}{m} \\sum_{x} \\delta^{${l}}_{x}`;
    case "update":
      return `W^{${l}} \\leftarrow W^{${l}} - \\eta \\frac{\\partial C}{\\partial W^{${l}}}, \\qquad b^{${l}} \\leftarrow b^{${l}} - \\eta \\frac{\\partial C}{\\partial b^{${l}}}`;
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
  };
}

const op = (text) => ({ kind: "op", text });
const scalar = (key, text, tex, value) => ({ kind: "scalar", key, text, tex, value });

const neuron = (layer) => (i) => ({ neuron: [layer, i] });
const edge = (layer) => (j, k) => ({ edge: [layer, j, k] });
const edgeT = (layer) => (r, c) => ({ edge: [layer, c, r] });
const sameCell = (keys) => (i, j) => keys.map((key) => ({ key, cells: [[i, j]] }));

/**
 * The lines of the numeric equation for a step. Each line is
 * {terms: [matrix | op | scalar], links(resultKey, i, j) → [{key, cells}]}.
 */
export function equationLines(step, trace) {
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
            matrix("weights", `W${s}`, `W^{${l}}`, W, { layer: l, diagram: edge(l) }),
            op("·"),
            matrix("a_prev", `a${sup(l - 1)}`, `a^{${l - 1}}`, aPrev, {
              ...sampleCols,
              layer: l - 1,
              diagram: neuron(l - 1),
            }),
            op("+"),
            matrix("biases", `b${s}`, `b^{${l}}`, column(net.biases[l - 1]), {
              vector: true,
              shape: [net.biases[l - 1].length],
              layer: l,
              name: (i) => `b${s}[${i}]`,
              diagram: neuron(l),
            }),
            op("="),
            matrix("z", `z${s}`, `z^{${l}}`, f.z, {
              ...sampleCols,
              role: "result",
              layer: l,
              diagram: neuron(l),
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
      const err = { ...sampleCols, scale: "error", layer: L, diagram: neuron(L) };
      if (oe.form === "softmax_jacobian" || oe.sigma_prime === null) {
        return [
          {
            terms: [
              op("Jᵀ ·"),
              matrix("grad_a", "∇ₐC", "\\nabla_a C", oe.grad_a, err),
              op("="),
              matrix("delta", `δ${sup(L)}`, `\\delta^{${L}}`, oe.delta, { ...err, role: "result" }),
            ],
            links: (i, j) => [{ key: "grad_a", cells: colOf(oe.grad_a, j) }],
          },
        ];
      }
      return [
        {
          terms: [
            matrix("grad_a", "∇ₐC", "\\nabla_a C", oe.grad_a, err),
            op("⊙"),
            matrix("sigma_prime", `σ′(z${sup(L)})`, `\\sigma'(z^{${L}})`, oe.sigma_prime, {
              ...sampleCols,
              layer: L,
              diagram: neuron(L),
            }),
            op("="),
            matrix("delta", `δ${sup(L)}`, `\\delta^{${L}}`, oe.delta, { ...err, role: "result" }),
          ],
          links: sameCell(["grad_a", "sigma_prime"]),
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
            }),
            op("·"),
            matrix("delta_next", `δ${n}`, `\\delta^{${l + 1}}`, dNext, {
              ...err,
              layer: l + 1,
              diagram: neuron(l + 1),
            }),
            op("="),
            matrix("weighted_error", `(W${n})ᵀδ${n}`, `(W^{${l + 1}})^{\\mathsf{T}}\\delta^{${l + 1}}`, b.weighted_error, {
              ...err,
              role: "result",
              layer: l,
              diagram: neuron(l),
            }),
          ],
          links: (i, j) => [
            { key: "weights_T", cells: rowOf(WnT[0]?.length ?? 0, i) },
            { key: "delta_next", cells: colOf(dNext, j) },
          ],
        },
        {
          // the weighted error is the result just above: referred to by name
          terms: [
            op(`(W${n})ᵀδ${n} ⊙`),
            matrix("sigma_prime", `σ′(z${s})`, `\\sigma'(z^{${l}})`, b.sigma_prime, {
              ...sampleCols,
              layer: l,
              diagram: neuron(l),
            }),
            op("="),
            matrix("delta", `δ${s}`, `\\delta^{${l}}`, b.delta, {
              ...err,
              role: "result",
              layer: l,
              diagram: neuron(l),
            }),
          ],
          links: (i, j) => [
            { line: 0, key: "weighted_error", cells: [[i, j]] },
            { key: "sigma_prime", cells: [[i, j]] },
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
            }),
            op("·"),
            matrix("a_prev_T", `(a${p})ᵀ`, `(a^{${l - 1}})^{\\mathsf{T}}`, aPrevT, {
              cols: "index",
              rows: "samples",
              layer: l - 1,
              name: (r, c) => `a${p}[${c}][${r}]`,
              diagram: (r, c) => ({ neuron: [l - 1, c] }),
            }),
            op("="),
            matrix("grad_weights", `∂C/∂W${s}`, `\\frac{\\partial C}{\\partial W^{${l}}}`, g.weights, {
              scale: "error",
              role: "result",
              layer: l,
              name: (j, k) => `∂C/∂W${s}[${j}][${k}]`,
              diagram: edge(l),
            }),
          ],
          links: (j, k) => [
            { key: "delta", cells: rowOf(m, j) },
            { key: "a_prev_T", cells: aPrevT.map((_, r) => [r, k]) },
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
      return [
        {
          terms: [
            matrix("weights", `W${s}`, `W^{${l}}`, W, { layer: l, diagram: edge(l), rangeGroup: "w" }),
            op("−"),
            matrix("eta_grad_weights", `η·∂C/∂W${s}`, `\\eta \\frac{\\partial C}{\\partial W^{${l}}}`, u.eta_grad_weights, {
              scale: "error",
              layer: l,
              name: (j, k) => `η·∂C/∂W${s}[${j}][${k}]`,
              diagram: edge(l),
            }),
            op("="),
            matrix("new_weights", `W${s} new`, `W^{${l}}_{\\text{new}}`, u.weights, {
              role: "result",
              layer: l,
              name: (j, k) => `new W${s}[${j}][${k}]`,
              diagram: edge(l),
              rangeGroup: "w",
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
            }),
            op("−"),
            matrix("eta_grad_biases", `η·∂C/∂b${s}`, `\\eta \\frac{\\partial C}{\\partial b^{${l}}}`, column(u.eta_grad_biases), {
              vector: true,
              shape: [u.eta_grad_biases.length],
              scale: "error",
              layer: l,
              name: (j) => `η·∂C/∂b${s}[${j}]`,
              diagram: neuron(l),
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
