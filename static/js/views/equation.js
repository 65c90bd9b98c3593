// The equation panel: the step's formula typeset with KaTeX, then the same
// equation with the API's matrices, and hover links between cells. Clicking,
// tapping or pressing Enter on a cell picks it (pick.js): the expansion panel
// writes it out, and the cells of the picked entry and of its operands stay
// marked here until it closes.
import katex from "katex";
import { describeCell, equationLines, formulaTex, refCells } from "../equation.js";
import { refsOf } from "../terms.js";
import { formatNumber, fullPrecision, maxAbs } from "../format.js";
import { visibleAt } from "../phases.js";
import { heatmapCell, pruneHeatmapCells } from "./heatmap.js";
import { marker } from "./marks.js";
import { mountMatrixDisplay } from "./matrix-display.js";
import { cellTitle, clearSources, markSource, matrixSignature, renderMatrix, updateMatrix } from "./matrix-table.js";

const texCache = new Map();

/** KaTeX HTML for a formula, cached (the set of labels is small). */
function texHtml(tex, displayMode = false) {
  const key = `${displayMode ? "D" : "I"}${tex}`;
  let html = texCache.get(key);
  if (html === undefined) {
    // The step's formula carries MathML for screen readers; the small 1/m
    // factor is HTML only, with an aria-label. Operand labels are plain text.
    const output = displayMode ? "htmlAndMathml" : "html";
    html = katex.renderToString(tex, { displayMode, throwOnError: false, output });
    texCache.set(key, html);
  }
  return html;
}

export function mountEquation(root, store, actions) {
  const formula = root.querySelector("[data-formula]");
  const body = root.querySelector("[data-equation-body]");
  const digits = root.querySelector("[data-control='digits']");
  const focus = root.querySelector("[data-control='focus']");
  const focusWrap = root.querySelector("[data-focus-wrap]");
  const note = root.querySelector("[data-equation-note]");
  const status = root.querySelector("[data-cell-status]");
  let lines = [];
  const display = mountMatrixDisplay(root, store, actions, () => render()); // full, elided or heatmap

  digits.addEventListener("change", () => actions.setDigits(Number(digits.value)));
  focus.addEventListener("change", () =>
    actions.setFocus(focus.value === "all" ? null : Number(focus.value)),
  );

  let rendered = []; // [{sig, el, figs}] per line, as shown

  /** A new line element: operands as tables, operators kept with what follows. */
  function buildLine(line, li, matrixOpts) {
    const row = document.createElement("div");
    row.className = "eq-line";
    row.dataset.line = String(li);
    const figs = [];
    // an operator stays on the same visual line as the operand after it
    let group = null;
    const put = (node) => {
      if (group) {
        group.append(node);
        row.append(group);
        group = null;
      } else row.append(node);
    };
    for (const t of line.terms) {
      if (t.kind === "matrix") {
        const fig = renderMatrix(t, matrixOpts(t));
        figs.push(fig);
        put(fig);
      } else if (t.kind === "scalar") {
        const el = document.createElement("span");
        el.className = "eq-scalar";
        el.dataset.scalar = t.key;
        el.innerHTML = texHtml(t.tex);
        el.setAttribute("role", "img");
        el.setAttribute("aria-label", t.text);
        figs.push(null);
        put(el);
      } else {
        const el = document.createElement("span");
        el.className = "eq-op";
        el.textContent = t.text;
        figs.push(null);
        if (group) row.append(group);
        group = document.createElement("span");
        group.className = "eq-group";
        group.append(el);
      }
    }
    if (group) row.append(group);
    return { el: row, figs };
  }

  function render() {
    const { session, digits: nDigits, focus: focused } = store.state;
    if (!session) return;
    const trace = session.trace;
    const visible = visibleAt(session.steps, session.cursor.index);
    const { step } = visible;
    const m = trace.batch.a0[0]?.length ?? 0;
    root.dataset.phase = step.phase;
    root.dataset.layer = String(step.layer);
    digits.value = String(nDigits);

    // sample focus: only meaningful with a batch
    focusWrap.hidden = m <= 1;
    if (focus.options.length !== m + 1) {
      focus.replaceChildren(new Option("all samples", "all"));
      for (let j = 0; j < m; j += 1) focus.append(new Option(`sample ${j}`, String(j)));
    }
    focus.value = focused === null ? "all" : String(focused);

    const tex = formulaTex(step, trace);
    if (formula.dataset.tex !== tex) {
      formula.innerHTML = texHtml(tex, true);
      formula.dataset.tex = tex;
    }

    lines = equationLines(step, trace, { cost: session.config?.cost, sample: focused ?? 0 });
    const ranges = new Map();
    for (const line of lines) {
      for (const t of line.terms) {
        if (t.kind !== "matrix") continue;
        ranges.set(t.rangeGroup, Math.max(ranges.get(t.rangeGroup) ?? 0, maxAbs(t.data)));
      }
    }
    const shown = display.options();
    const matrixOpts = (t) => ({ digits: nDigits, range: ranges.get(t.rangeGroup), focus: focused, ...shown });
    const next = lines.map((line, li) => {
      const sig = line.terms
        .map((t) => (t.kind === "matrix" ? `M${matrixSignature(t, matrixOpts(t))}` : t.kind === "scalar" ? `S${t.tex}` : `O${t.text}`))
        .join("|");
      const prev = rendered[li];
      if (prev && prev.sig === sig) {
        // same structure as the line already shown: update its cells in place
        line.terms.forEach((t, ti) => {
          if (t.kind === "matrix") updateMatrix(prev.figs[ti], t, matrixOpts(t));
        });
        return prev;
      }
      return { sig, ...buildLine(line, li, matrixOpts) };
    });
    next.forEach((entry, li) => {
      const current = body.children[li];
      if (current !== entry.el) {
        if (current) body.replaceChild(entry.el, current);
        else body.append(entry.el);
      }
    });
    while (body.children.length > next.length) body.lastElementChild.remove();
    rendered = next;

    // facts under the equation, all from the API
    const facts = {
      cost: () => [`cost C = ${formatNumber(trace.cost, Math.max(nDigits, 6))}`, trace.cost],
      batch: () => [
        m > 1
          ? `m = ${m}: the product δ(a)ᵀ sums the ${m} samples' outer products; 1/m makes it their average.`
          : "m = 1: one sample, so the average is that sample's gradient.",
        null,
      ],
      eta: () => [`learning rate η = ${trace.learning_rate}`, trace.learning_rate],
    };
    note.replaceChildren(
      ...visible.facts.map((key) => {
        const [text, value] = facts[key]();
        const p = document.createElement("p");
        p.dataset.fact = key;
        if (value !== null) p.dataset.value = fullPrecision(value);
        p.textContent = text;
        return p;
      }),
    );
    // a softmax output's J is one sample's: with no sample chosen, sample 0's (equation.js)
    if (m > 1 && focused === null && lines.some((line) => line.terms.some((t) => t.key === "jacobian"))) {
      const p = document.createElement("p");
      p.dataset.fact = "jacobian";
      p.textContent = "J is sample 0's Jacobian (each sample has its own): choose a sample above to see another's.";
      note.append(p);
    }
    markPick(); // the cells were updated in place: the marks follow the pick, not the old cells
  }

  // Hover: a result cell lights up the operand cells that produced it.
  function clearHighlight() {
    for (const el of body.querySelectorAll(".hl")) el.classList.remove("hl");
    clearSources(body);
    pruneHeatmapCells(body);
  }

  function onOver(event) {
    const td = event.target.closest("td[data-row]");
    if (!td || !body.contains(td)) return;
    highlight(td);
  }

  /** Light up a cell, the operand cells it came from and its neuron or edge. */
  function highlight(td) {
    const fig = td.closest("[data-matrix]");
    const lineEl = td.closest("[data-line]");
    const li = Number(lineEl.dataset.line);
    const line = lines[li];
    const r = Number(td.dataset.row);
    const c = Number(td.dataset.col);
    clearHighlight();
    td.classList.add("hl");
    const term = line.terms.find((t) => t.kind === "matrix" && t.key === fig.dataset.matrix);
    if (term && !td.title) td.title = cellTitle(term, td);
    if (fig.dataset.role === "result") {
      for (const link of line.links(r, c)) {
        // a link names another line when its operand is shown there
        const host = link.line === undefined ? lineEl : body.querySelector(`[data-line="${link.line}"]`);
        const src = host?.querySelector(`[data-matrix="${link.key}"]`);
        if (!src) continue;
        for (const [i, j] of link.cells) markSource(src, i, j);
      }
    }
    const target = term ? (term.vector ? term.diagram(r) : term.diagram(r, c)) : null;
    store.hover({ matrix: fig.dataset.matrix, row: r, col: c, diagram: target });
  }

  body.addEventListener("mouseover", onOver);
  // a heatmap's readout, or a cell of an elided table, says the user moved to it (views/matrix-table.js)
  body.addEventListener("bpl:cell", (event) => {
    highlight(event.target);
    if (event.detail?.announce) status.textContent = event.target.title;
  });

  // Keyboard: a result table is focusable; arrow keys move through its cells
  // with the same highlighting as the mouse (and do not step the iteration).
  const activeCell = (table) => {
    const r = Number(table.dataset.activeRow ?? 0);
    const c = Number(table.dataset.activeCol ?? 0);
    return table.querySelector(`td[data-row="${r}"][data-col="${c}"]`) ?? table.querySelector("td[data-row]");
  };
  body.addEventListener("focusin", (event) => {
    const table = event.target.closest?.("table.matrix");
    if (table) {
      const td = activeCell(table);
      if (td) highlight(td);
    }
  });
  body.addEventListener("focusout", () => {
    clearHighlight();
    store.hover(null);
  });
  body.addEventListener("keydown", (event) => {
    const table = event.target.closest?.("table.matrix");
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (table && (event.key === "Enter" || event.key === " ")) {
      // the cell's expansion, not the page's Enter (finish) or Space (play)
      event.preventDefault();
      event.stopPropagation();
      const td = activeCell(table);
      if (td) pickCell(td, event.timeStamp);
      return;
    }
    if (!table || !moves[event.key] || event.shiftKey) return;
    event.preventDefault();
    event.stopPropagation();
    const td = activeCell(table);
    const rows = table.tBodies[0].rows.length;
    const cols = table.tBodies[0].rows[0].cells.length - 1;
    const [dr, dc] = moves[event.key];
    const r = Math.min(Math.max(Number(td.dataset.row) + dr, 0), rows - 1);
    const c = Math.min(Math.max(Number(td.dataset.col) + dc, 0), cols - 1);
    table.dataset.activeRow = String(r);
    table.dataset.activeCol = String(c);
    const next = table.querySelector(`td[data-row="${r}"][data-col="${c}"]`);
    highlight(next);
    status.textContent = next.title;
  });
  body.addEventListener("mouseleave", () => {
    clearHighlight();
    store.hover(null);
  });

  // Picking: a click or a tap (or Enter, above) on any cell opens its expansion.
  /** The term and cell position of a table cell, and the pick that names it. */
  function pickCell(td, t0) {
    const fig = td.closest("[data-matrix]");
    const li = Number(td.closest("[data-line]").dataset.line);
    const term = lines[li]?.terms.find((t) => t.kind === "matrix" && t.key === fig.dataset.matrix);
    if (!term) return;
    const row = Number(td.dataset.row);
    const col = Number(td.dataset.col);
    actions.pick({ entry: { line: li, key: term.key, row, col }, ...describeCell(term, row, col), t0 });
  }
  body.addEventListener("click", (event) => {
    const td = event.target.closest?.("td[data-row]");
    if (td && body.contains(td)) pickCell(td, event.timeStamp);
  });
  // a heatmap's cell, clicked, tapped or chosen with Enter: its readout names it
  body.addEventListener("bpl:pick", (event) => pickCell(event.target, event.timeStamp));
  // a click focuses the table: its keyboard cursor moves to the clicked cell first
  body.addEventListener("pointerdown", (event) => {
    const td = event.target.closest?.("td[data-row]");
    const table = td?.closest("table.matrix");
    if (!table) return;
    table.dataset.activeRow = td.dataset.row;
    table.dataset.activeCol = td.dataset.col;
  });

  // (a heatmap's cell has no element of its own: a box over it stands for it)
  const cellAt = ({ line, key, row, col }) => {
    const fig = body.querySelector(`[data-line="${line}"] [data-matrix="${key}"]`);
    if (fig?.dataset.display === "heatmap") return heatmapCell(fig, row, col);
    return fig?.querySelector(`td[data-row="${row}"][data-col="${col}"]`) ?? null;
  };

  // The picked entry's cells, and its operands' cells (the engine's terms and the line's links).
  const marks = marker(["pick-entry", "pick-operand"]);
  function markPick() {
    marks.clear();
    pruneHeatmapCells(body);
    const { pick } = store.state;
    if (!pick || lines.length === 0) return;
    const operands = [];
    const refs = pick.terms ? refsOf(pick.terms.expression) : [];
    for (const ref of refs) operands.push(...refCells(lines, ref));
    // η is a fact under the equation, not a matrix
    if (refs.some((r) => r.quantity === "eta")) marks.mark([note.querySelector("[data-fact='eta']")], "pick-operand");
    const { entry } = pick;
    const term = entry && lines[entry.line]?.terms.find((t) => t.kind === "matrix" && t.key === entry.key);
    if (term?.role === "result") {
      for (const link of lines[entry.line].links(entry.row, entry.col)) {
        const line = link.line ?? entry.line;
        operands.push(...link.cells.map(([row, col]) => ({ line, key: link.key, row, col })));
      }
    }
    marks.mark(operands.map(cellAt), "pick-operand");
    const entries = entry ? [entry, ...pick.cells] : pick.ref ? refCells(lines, pick.ref) : pick.cells;
    marks.mark(entries.map(cellAt), "pick-entry");
  }

  // Operands the expansion points at (store.hover with refs) light up here too.
  store.addEventListener("hover", (e) => {
    const detail = e.detail;
    if (detail === null) clearHighlight();
    if (!detail?.refs) return;
    clearHighlight();
    for (const ref of detail.refs) {
      for (const cell of refCells(lines, ref)) cellAt(cell)?.classList.add("hl-source");
    }
  });

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("session") || k.includes("digits") || k.includes("focus")) render();
    else if (k.includes("pick")) markPick();
  });
  return { render };
}
