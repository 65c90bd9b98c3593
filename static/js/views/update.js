// The update view: for an update step, every weight and bias of the layer
// with its old value, η·∂C/∂w, new value and change — all from the API.
import { cellColour, formatNumber, fullPrecision, maxAbs, sup } from "../format.js";

const byLayer = (entries, l) => entries.find((e) => e.layer === l);

export function mountUpdate(root, store) {
  const body = root.querySelector("[data-update-body]");
  const hint = root.querySelector("[data-update-hint]");

  function cell(value, digits, range, scale) {
    const td = document.createElement("td");
    td.dataset.value = fullPrecision(value);
    td.title = fullPrecision(value);
    td.textContent = formatNumber(value, digits);
    if (range !== undefined) td.style.backgroundColor = cellColour(value, range, scale);
    return td;
  }

  function render() {
    const { session, digits } = store.state;
    if (!session) return;
    const step = session.steps[session.cursor.index];
    const show = step.phase === "update";
    root.dataset.active = show ? "true" : "false";
    hint.hidden = show;
    body.hidden = !show;
    if (!show) {
      body.replaceChildren();
      return;
    }
    const l = step.layer;
    const s = sup(l);
    const trace = session.trace;
    const u = byLayer(trace.update, l);
    const oldW = trace.network.weights[l - 1];
    const oldB = trace.network.biases[l - 1];
    const entries = [];
    oldW.forEach((row, j) =>
      row.forEach((w, k) =>
        entries.push({ name: `W${s}[${j}][${k}]`, kind: "weight", j, k, old: w, step: u.eta_grad_weights[j][k], now: u.weights[j][k] }),
      ),
    );
    oldB.forEach((b, j) =>
      entries.push({ name: `b${s}[${j}]`, kind: "bias", j, k: null, old: b, step: u.eta_grad_biases[j], now: u.biases[j] }),
    );
    const rangeV = Math.max(maxAbs(oldW), maxAbs(u.weights), maxAbs(oldB), maxAbs(u.biases));
    const rangeS = Math.max(maxAbs(u.eta_grad_weights), maxAbs(u.eta_grad_biases));

    const table = document.createElement("table");
    table.className = "update-table";
    table.dataset.layer = String(l);
    const caption = document.createElement("caption");
    caption.textContent = `Layer ${l}: each parameter before, the step η·∂C/∂w taken from it, and after (η = ${trace.learning_rate}).`;
    const thead = document.createElement("thead");
    const hr = document.createElement("tr");
    for (const h of ["parameter", "before", "η·∂C/∂w", "after", "change"]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = h;
      hr.append(th);
    }
    thead.append(hr);
    const tbody = document.createElement("tbody");
    for (const e of entries) {
      const tr = document.createElement("tr");
      tr.dataset.param = e.name;
      tr.dataset.kind = e.kind;
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = e.name;
      const change = -e.step; // the change is −η·∂C/∂w: a sign flip, nothing computed
      const ch = cell(change, digits, rangeS, "error");
      ch.dataset.cell = "change";
      const arrow = document.createElement("span");
      arrow.className = "arrow-sign";
      arrow.setAttribute("aria-hidden", "true");
      arrow.textContent = change > 0 ? " ▲" : change < 0 ? " ▼" : " ·";
      ch.append(arrow);
      const before = cell(e.old, digits, rangeV, "value");
      before.dataset.cell = "before";
      const stepCell = cell(e.step, digits, rangeS, "error");
      stepCell.dataset.cell = "eta_grad";
      const after = cell(e.now, digits, rangeV, "value");
      after.dataset.cell = "after";
      tr.append(th, before, stepCell, after, ch);
      tbody.append(tr);
    }
    table.append(caption, thead, tbody);
    body.replaceChildren(table);
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("session") || k.includes("digits")) render();
  });
  return { render };
}
