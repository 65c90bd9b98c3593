// Pure: the current step as files for handouts and exercises — its numbers
// as CSV and JSON, the equation with numbers as LaTeX, and a NumPy snippet
// that recomputes the step from the shown matrices and checks the result.
// The operands are the equation panel's (equation.js); numbers are written
// at full precision (the shortest text that reads back to the same float64).
import { equationLines, formulaTex } from "./equation.js";
import { formatNumber } from "./format.js";

const num = (v) => (v === null || v === undefined ? "nan" : String(v));

/** The step's matrices, once each, in the order the panel shows them. */
function stepOperands(step, trace) {
  const seen = new Map();
  for (const line of equationLines(step, trace)) {
    for (const t of line.terms) {
      if (t.kind === "matrix" && !seen.has(t.key)) {
        seen.set(t.key, { key: t.key, text: t.text, tex: t.tex, data: t.data, role: t.role });
      }
    }
  }
  return [...seen.values()];
}

function title(step, cursor) {
  return `iteration ${cursor.iteration}, ${step.phase} layer ${step.layer}`;
}

export function stepCsv(step, trace, cursor) {
  const out = [`# Backprop Lens: ${title(step, cursor)}`];
  for (const o of stepOperands(step, trace)) {
    const cols = o.data[0]?.length ?? 0;
    out.push(`# ${o.key} (${o.text}), ${o.data.length}x${cols}`);
    for (const row of o.data) out.push(row.map(num).join(","));
    out.push("");
  }
  return out.join("\n");
}

export function stepJson(step, trace, cursor) {
  const operands = {};
  for (const o of stepOperands(step, trace)) operands[o.key] = o.data;
  return JSON.stringify(
    {
      iteration: cursor.iteration,
      phase: step.phase,
      layer: step.layer,
      formula: formulaTex(step, trace),
      learning_rate: trace.learning_rate,
      batch_size: trace.batch.a0[0]?.length ?? 0,
      operands,
    },
    null,
    1,
  );
}

const TEX_OPS = { "·": "\\cdot", "⊙": "\\odot", "−": "-", "+": "+", "=": "=" };

function texMatrix(data, digits) {
  // LaTeX's minus is "-" (a U+2212 stops pdflatex), in the exponent too
  const rows = data.map((row) => row.map((v) => formatNumber(v, digits).replaceAll("\u2212", "-")).join(" & "));
  return `\\begin{bmatrix} ${rows.join(" \\\\ ")} \\end{bmatrix}`;
}

function texOp(text) {
  if (TEX_OPS[text]) return TEX_OPS[text];
  const escaped = text.replace(/[\\{}&%$#_^~]/g, (c) => `\\${c}`);
  return `\\text{${escaped}}`;
}

export function stepLatex(step, trace, cursor, digits = 4) {
  const lines = equationLines(step, trace).map((line) =>
    line.terms
      .map((t) => {
        if (t.kind === "matrix") return `\\underset{${t.tex}}{${texMatrix(t.data, digits)}}`;
        if (t.kind === "scalar") return t.tex;
        return texOp(t.text);
      })
      .join(" "),
  );
  return [
    `% Backprop Lens: ${title(step, cursor)} (needs amsmath)`,
    "\\[",
    formulaTex(step, trace),
    "\\]",
    ...lines.map((l) => `\\[\n${l}\n\\]`),
    "",
  ].join("\n");
}

const NP_ACT = {
  sigmoid: "1 / (1 + np.exp(-z))",
  tanh: "np.tanh(z)",
  relu: "np.maximum(z, 0.0)",
  leaky_relu: "np.where(z > 0, z, 0.01 * z)",
  linear: "z.copy()",
  softmax: "np.exp(z - z.max(axis=0)) / np.exp(z - z.max(axis=0)).sum(axis=0)",
};

function pyArray(name, data) {
  const rows = data.map((row) => `    [${row.map(num).join(", ")}],`);
  return `${name} = np.array([\n${rows.join("\n")}\n])  # ${data.length}×${data[0]?.length ?? 0}`;
}

function pyVector(name, data) {
  return `${name} = np.array([${data.map(num).join(", ")}])  # (${data.length},)`;
}

const byLayer = (entries, l) => entries.find((e) => e.layer === l);

/** A Python script: the shown operands as arrays, the step's formula, a check. */
export function stepNumpy(step, trace, cursor) {
  const l = step.layer;
  const net = trace.network;
  const L = net.layers.length - 1;
  const m = trace.batch.a0[0]?.length ?? 0;
  const a = (k) => (k === 0 ? trace.batch.a0 : byLayer(trace.forward, k).a);
  const delta = (k) => (k === L ? trace.output_error.delta : byLayer(trace.backward, k).delta);
  const head = [
    `# Backprop Lens: ${title(step, cursor)}.`,
    "# Recomputes this step from the matrices shown and checks the result.",
    "# Samples are columns (DESIGN.md): z and a are n_l × m.",
    "import numpy as np",
    "",
  ];
  let body = [];
  switch (step.phase) {
    case "forward": {
      const f = byLayer(trace.forward, l);
      body = [
        pyArray(`W${l}`, net.weights[l - 1]),
        pyVector(`b${l}`, net.biases[l - 1]),
        pyArray(`a${l - 1}`, a(l - 1)),
        pyArray(`z${l}_shown`, f.z),
        pyArray(`a${l}_shown`, f.a),
        "",
        `z = W${l} @ a${l - 1} + b${l}[:, None]  # z^${l} = W^${l} a^${l - 1} + b^${l}`,
        `a = ${NP_ACT[net.activations[l - 1]]}  # ${net.activations[l - 1]}`,
        `assert np.allclose(z, z${l}_shown, rtol=1e-12, atol=1e-15)`,
        `assert np.allclose(a, a${l}_shown, rtol=1e-12, atol=1e-15)`,
        "print(z, a, sep='\\n')",
      ];
      break;
    }
    case "output_error": {
      const oe = trace.output_error;
      if (oe.form === "softmax_jacobian" || oe.sigma_prime === null) {
        body = [
          pyArray("grad_a", oe.grad_a),
          pyArray(`a${L}`, a(L)),
          pyArray(`delta${L}_shown`, oe.delta),
          "",
          "# per sample x: J = diag(a) - a aᵀ (symmetric), δ = Jᵀ ∇ₐC",
          "delta = np.empty_like(grad_a)",
          `for x in range(grad_a.shape[1]):`,
          `    col = a${L}[:, x]`,
          "    J = np.diag(col) - np.outer(col, col)",
          "    delta[:, x] = J.T @ grad_a[:, x]",
          `assert np.allclose(delta, delta${L}_shown, rtol=1e-9, atol=1e-15)`,
          "print(delta)",
        ];
      } else {
        body = [
          pyArray("grad_a", oe.grad_a),
          pyArray(`sigma_prime_z${L}`, oe.sigma_prime),
          pyArray(`delta${L}_shown`, oe.delta),
          "",
          `delta = grad_a * sigma_prime_z${L}  # δ^${L} = ∇ₐC ⊙ σ'(z^${L})`,
          `assert np.allclose(delta, delta${L}_shown, rtol=1e-12, atol=1e-15)`,
          "print(delta)",
        ];
      }
      break;
    }
    case "backward": {
      const b = byLayer(trace.backward, l);
      body = [
        pyArray(`W${l + 1}`, net.weights[l]),
        pyArray(`delta${l + 1}`, delta(l + 1)),
        pyArray(`sigma_prime_z${l}`, b.sigma_prime),
        pyArray(`delta${l}_shown`, b.delta),
        "",
        `weighted_error = W${l + 1}.T @ delta${l + 1}  # (W^${l + 1})ᵀ δ^${l + 1}`,
        `delta = weighted_error * sigma_prime_z${l}  # δ^${l}`,
        `assert np.allclose(delta, delta${l}_shown, rtol=1e-12, atol=1e-15)`,
        "print(delta)",
      ];
      break;
    }
    case "gradients": {
      const g = byLayer(trace.gradients, l);
      body = [
        pyArray(`delta${l}`, delta(l)),
        pyArray(`a${l - 1}`, a(l - 1)),
        pyArray(`dC_dW${l}_shown`, g.weights),
        pyVector(`dC_db${l}_shown`, g.biases),
        `m = ${m}`,
        ...(g.l2 ? [pyArray(`W${l}`, net.weights[l - 1]), `lam = ${num(trace.weight_decay)}  # weight decay λ`] : []),
        "",
        g.l2
          ? `dC_dW = delta${l} @ a${l - 1}.T / m + lam * W${l}  # (1/m) δ^${l} (a^${l - 1})ᵀ + λW^${l}`
          : `dC_dW = delta${l} @ a${l - 1}.T / m  # (1/m) δ^${l} (a^${l - 1})ᵀ`,
        `dC_db = delta${l}.sum(axis=1) / m`,
        `assert np.allclose(dC_dW, dC_dW${l}_shown, rtol=1e-12, atol=1e-15)`,
        `assert np.allclose(dC_db, dC_db${l}_shown, rtol=1e-12, atol=1e-15)`,
        "print(dC_dW, dC_db, sep='\\n')",
      ];
      break;
    }
    case "update": {
      const u = byLayer(trace.update, l);
      const g = byLayer(trace.gradients, l);
      body = [
        pyArray(`W${l}`, net.weights[l - 1]),
        pyVector(`b${l}`, net.biases[l - 1]),
        pyArray(`dC_dW${l}`, g.weights),
        pyVector(`dC_db${l}`, g.biases),
        `eta = ${num(trace.learning_rate)}`,
        pyArray(`W${l}_new_shown`, u.weights),
        pyVector(`b${l}_new_shown`, u.biases),
        ...optimizerLines(trace.optimizer, u, l),
      ];
      break;
    }
    default:
      body = [];
  }
  return [...head, ...body, ""].join("\n");
}

/**
 * The update after the operands: plain descent, or the optimizer's step from the
 * quantities the step shows (what it carried in is not shown, so v, s, m are given
 * as they are after the update; Adam's m̂ and v̂ are recomputed from them and checked).
 */
function optimizerLines(o, u, l) {
  const name = o?.name ?? "sgd";
  const shown = [];
  for (const [key, values] of Object.entries(u.optimizer_weights ?? {})) shown.push(pyArray(`${key}_W${l}`, values));
  for (const [key, values] of Object.entries(u.optimizer_biases ?? {})) shown.push(pyVector(`${key}_b${l}`, values));
  const step = (p) =>
    ({
      sgd: `eta * dC_d${p}${l}`,
      momentum: o?.nesterov ? `eta * (dC_d${p}${l} + mu * v_${p}${l})` : `eta * v_${p}${l}`,
      rmsprop: `eta * dC_d${p}${l} / (np.sqrt(s_${p}${l}) + eps)`,
      adam: `eta * m_hat_${p} / (np.sqrt(v_hat_${p}) + eps)`,
    })[name];
  const settings = Object.entries(o ?? {})
    .filter(([k]) => !["name", "t"].includes(k))
    .map(([k, v]) => `${k === "momentum" ? "mu" : k} = ${typeof v === "boolean" ? (v ? "True" : "False") : num(v)}`);
  const adam =
    name === "adam"
      ? [
          `t = ${o.t}  # Adam's updates so far, this one included`,
          ...["W", "b"].flatMap((p) => [
            `m_hat_${p} = m_${p}${l} / (1 - beta1**t)`,
            `v_hat_${p} = v_${p}${l} / (1 - beta2**t)`,
            `assert np.allclose(m_hat_${p}, m_hat_${p}${l}, rtol=1e-12, atol=1e-15)`,
            `assert np.allclose(v_hat_${p}, v_hat_${p}${l}, rtol=1e-12, atol=1e-15)`,
          ]),
        ]
      : [];
  return [
    ...settings,
    ...shown,
    "",
    ...adam,
    `W_new = W${l} - ${step("W")}`,
    `b_new = b${l} - ${step("b")}`,
    `assert np.allclose(W_new, W${l}_new_shown, rtol=1e-12, atol=1e-15)`,
    `assert np.allclose(b_new, b${l}_new_shown, rtol=1e-12, atol=1e-15)`,
    "print(W_new, b_new, sep='\\n')",
  ];
}
