// The gradient check: per layer, backprop's ∂C/∂W and ∂C/∂b next to central
// differences (POST /api/v1/gradcheck for this iteration's network and batch)
// and their relative error. The matrices use the equation panel's tables.
import { formatNumber, maxAbs, sup } from "../format.js";
import { column } from "../equation.js";
import { renderMatrix } from "./matrix-table.js";

function term(key, text, data, opts = {}) {
  return {
    kind: "matrix",
    key,
    text,
    data,
    shape: opts.shape ?? [data.length, data[0]?.length ?? 0],
    vector: Boolean(opts.vector),
    scale: "error",
    cols: "index",
    rows: "index",
    role: "operand",
    name: opts.name ?? ((i, j) => `${text}[${i}][${j}]`),
  };
}

export function mountGradcheck(root, store, actions) {
  const body = root.querySelector("[data-gradcheck-body]");
  const button = root.querySelector("[data-action='gradcheck']");
  button.addEventListener("click", () => actions.gradcheck());

  function render() {
    const g = store.state.gradcheck;
    const s = store.state.session;
    body.replaceChildren();
    if (!g || !s || g.id !== s.id) {
      root.dataset.state = "idle";
      return;
    }
    if (g.error) {
      const p = document.createElement("p");
      p.className = "config__error";
      p.textContent = g.error;
      body.append(p);
      root.dataset.state = "error";
      return;
    }
    root.dataset.state = "done";
    const summary = document.createElement("p");
    summary.dataset.maxError = String(g.max_relative_error);
    const ok = g.max_relative_error !== null && g.max_relative_error < 1e-6;
    summary.className = ok ? "gradcheck__ok" : "gradcheck__bad";
    summary.textContent = `Iteration ${g.iteration}: largest relative error ${formatNumber(g.max_relative_error, 3)} (h = ${g.step.toExponential(0)}) — ${ok ? "backprop agrees with the finite differences" : "check this: the gradients disagree"}.`;
    body.append(summary);
    const table = document.createElement("table");
    table.className = "update-table gradcheck__table";
    const head = table.createTHead().insertRow();
    for (const t of ["layer", "max |∂C/∂W| backprop", "max |∂C/∂W| numerical", "relative error"]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = t;
      head.append(th);
    }
    const tb = table.createTBody();
    for (const layer of g.layers) {
      const tr = tb.insertRow();
      tr.dataset.layer = String(layer.layer);
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = `W${sup(layer.layer)}, b${sup(layer.layer)}`;
      tr.append(th);
      for (const text of [
        formatNumber(maxAbs(layer.analytic.weights), 4),
        formatNumber(maxAbs(layer.numerical.weights), 4),
        formatNumber(layer.relative_error, 3),
      ]) {
        const td = tr.insertCell();
        td.textContent = text;
      }
      tr.lastChild.dataset.relativeError = String(layer.relative_error);
    }
    body.append(table);
    const opts = { digits: store.state.digits, range: 0, focus: null };
    for (const layer of g.layers) {
      const d = document.createElement("details");
      const sm = document.createElement("summary");
      sm.textContent = `Layer ${layer.layer}: the gradients side by side`;
      d.append(sm);
      const l = sup(layer.layer);
      const range = Math.max(maxAbs(layer.analytic.weights), maxAbs(layer.numerical.weights), 1e-300);
      const brange = Math.max(maxAbs([layer.analytic.biases]), maxAbs([layer.numerical.biases]), 1e-300);
      const vec = (v) => ({ vector: true, shape: [v.length], name: (i) => `[${i}]` });
      const box = document.createElement("div");
      box.className = "gradcheck__matrices";
      d.append(box);
      box.append(
        renderMatrix(term("analytic_w", `∂C/∂W${l} backprop`, layer.analytic.weights), { ...opts, range }),
        renderMatrix(term("numerical_w", `∂C/∂W${l} numerical`, layer.numerical.weights), { ...opts, range }),
        renderMatrix(term("analytic_b", `∂C/∂b${l} backprop`, column(layer.analytic.biases), vec(layer.analytic.biases)), { ...opts, range: brange }),
        renderMatrix(term("numerical_b", `∂C/∂b${l} numerical`, column(layer.numerical.biases), vec(layer.numerical.biases)), { ...opts, range: brange }),
      );
      body.append(d);
    }
  }
  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("gradcheck")) render();
    else if (k.includes("session") && store.state.gradcheck && store.state.gradcheck.id !== store.state.session?.id) render();
  });
  render();
}
