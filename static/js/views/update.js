// The update view: for an update step, every weight and bias of the layer
// with its old value, the optimizer's quantities (v; s; m, v, m̂, v̂), the step
// taken (η·∂C/∂w for plain descent), new value and change — all from the API.
// Full values never depend on hover alone: a readout line under the table
// gives the cell tapped or clicked, or the one the arrow keys reach (the
// table is focusable), as "W²[1][0], after: 0.5123456789…"; the mouse gets
// the same as a tooltip.
import { cellClass, formatNumber, fullPrecision, maxAbs, sup } from "../format.js";
import { shownQuantities, stepLabel } from "../equation.js";
import { moveCell } from "../matrix-display.js";

// Up to this many parameters a layer is listed entry by entry; a bigger layer
// is summarised (a list of hundreds of rows reads badly and would cost more to
// render than the rest of the step).
const LIST_LIMIT = 48;

const byLayer = (entries, l) => entries.find((e) => e.layer === l);
const headingsFor = (optimizer) => [
  "parameter",
  "before",
  ...shownQuantities(optimizer).map((q) => q.text),
  stepLabel(optimizer, "w"),
  "after",
  "change",
];
const IDLE = "Tap a number, or Tab to the table and use the arrow keys, for its full value.";

export function mountUpdate(root, store) {
  const body = root.querySelector("[data-update-body]");
  const hint = root.querySelector("[data-update-hint]");

  function cell(value, digits, range, scale) {
    const td = document.createElement("td");
    td.dataset.value = fullPrecision(value);
    td.textContent = formatNumber(value, digits);
    td.className = cellClass(value, range, scale);
    return td;
  }

  const readout = document.createElement("p");
  readout.className = "update__readout";
  readout.dataset.updateReadout = "";
  readout.setAttribute("aria-live", "polite");
  readout.hidden = true;
  body.after(readout); // outside the table's scrolling box: always in view under it
  let active = null; // [row, column] of the cell shown in the readout (column 0: "before")
  let headings = headingsFor(null);

  // the full value as a tooltip, filled in when a cell is first hovered
  body.addEventListener("mouseover", (e) => {
    const td = e.target.closest("td[data-value]");
    if (td && !td.title) td.title = td.dataset.value;
  });
  body.addEventListener("click", (e) => {
    const td = e.target.closest("td[data-value]");
    if (td) activate([td.parentElement.sectionRowIndex, td.cellIndex - 1]);
  });
  body.addEventListener("focusin", (e) => {
    if (e.target.matches("table")) activate(active ?? [0, 0]);
  });
  body.addEventListener("keydown", (e) => {
    const table = body.querySelector("table");
    if (!active || e.target !== table || e.shiftKey) return;
    const next = moveCell(e.key, ...active, table.tBodies[0].rows.length, headings.length - 1);
    if (!next) return;
    e.preventDefault(); // not the page's shortcuts (the arrows step the iteration)
    e.stopPropagation();
    activate(next);
  });

  /** Show cell [r, c] of the table: outlined, its full value in the readout. */
  function activate([r, c]) {
    const rows = body.querySelector("tbody")?.rows;
    if (!rows?.length) return;
    const row = rows[Math.min(r, rows.length - 1)];
    const td = row.cells[c + 1];
    for (const el of body.querySelectorAll("td.hl")) el.classList.remove("hl");
    td.classList.add("hl");
    active = [row.sectionRowIndex, c];
    readout.textContent = `${row.dataset.param}, ${headings[c + 1]}: ${td.dataset.value}`;
    readout.dataset.value = td.dataset.value;
  }

  function render() {
    const { session, digits } = store.state;
    if (!session) return;
    const step = session.steps[session.cursor.index];
    const show = step.phase === "update";
    root.dataset.active = show ? "true" : "false";
    hint.hidden = show;
    body.hidden = !show;
    readout.hidden = true; // (shown with a table)
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
    const shown = shownQuantities(trace.optimizer);
    headings = headingsFor(trace.optimizer);
    const entries = [];
    oldW.forEach((row, j) =>
      row.forEach((w, k) =>
        entries.push({
          name: `W${s}[${j}][${k}]`, kind: "weight", j, k, old: w, step: u.eta_grad_weights[j][k], now: u.weights[j][k],
          carried: shown.map((q) => u.optimizer_weights[q.key][j][k]),
        }),
      ),
    );
    oldB.forEach((b, j) =>
      entries.push({
        name: `b${s}[${j}]`, kind: "bias", j, k: null, old: b, step: u.eta_grad_biases[j], now: u.biases[j],
        carried: shown.map((q) => u.optimizer_biases[q.key][j]),
      }),
    );
    if (entries.length > LIST_LIMIT) {
      renderSummary(l, entries.length, trace.learning_rate, stepLabel(trace.optimizer, "w"));
      return;
    }
    const rangeV = Math.max(maxAbs(oldW), maxAbs(u.weights), maxAbs(oldB), maxAbs(u.biases));
    const rangeS = Math.max(maxAbs(u.eta_grad_weights), maxAbs(u.eta_grad_biases));
    const rangeQ = shown.map((q) => Math.max(maxAbs(u.optimizer_weights[q.key]), maxAbs(u.optimizer_biases[q.key])));

    const table = document.createElement("table");
    table.className = "update-table";
    table.dataset.layer = String(l);
    const caption = document.createElement("caption");
    const said = shown.length ? `, the optimizer's ${shown.map((q) => q.text).join(", ")}` : "";
    caption.textContent = `Layer ${l}: each parameter before${said}, the step ${stepLabel(trace.optimizer, "w")} taken from it, and after (η = ${trace.learning_rate}).`;
    const thead = document.createElement("thead");
    const hr = document.createElement("tr");
    for (const h of headings) {
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
      const change = -e.step; // the change is minus the step: a sign flip, nothing computed
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
      const carried = e.carried.map((value, i) => {
        const td = cell(value, digits, rangeQ[i], "error");
        td.dataset.cell = shown[i].key;
        return td;
      });
      tr.append(th, before, ...carried, stepCell, after, ch);
      tbody.append(tr);
    }
    table.append(caption, thead, tbody);
    table.tabIndex = 0;
    body.replaceChildren(table);
    readout.hidden = false;
    readout.textContent = IDLE;
    delete readout.dataset.value;
    if (active) activate(active); // the same cell in the new step (or the last row, if it has fewer)
  }

  /**
   * A big layer: the equation panel already shows W, η·∂C/∂W and the new W
   * side by side, and the change of each entry is −η·∂C/∂W; a list of
   * hundreds of rows would read badly, so this says so instead.
   */
  function renderSummary(l, count, eta, stepText) {
    const s = sup(l);
    const p = document.createElement("p");
    p.dataset.updateSummary = String(count);
    p.textContent = `Layer ${l} has ${count} parameters, so they are not listed one by one here: the equation above shows W${s} and b${s} before, the step ${stepText} (η = ${eta}) and after, side by side; each entry changes by minus the step, the middle matrix with its sign flipped. Layers with up to ${LIST_LIMIT} parameters are listed entry by entry.`;
    body.replaceChildren(p);
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("session") || k.includes("digits")) render();
  });
  return { render };
}
