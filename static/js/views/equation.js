// The equation panel: the step's formula typeset with KaTeX, then the same
// equation with the API's matrices, and hover links between cells.
import katex from "katex";
import { equationLines, formulaTex } from "../equation.js";
import { formatNumber, fullPrecision, maxAbs } from "../format.js";
import { visibleAt } from "../phases.js";
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

    lines = equationLines(step, trace);
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
  }

  // Hover: a result cell lights up the operand cells that produced it.
  function clearHighlight() {
    for (const el of body.querySelectorAll(".hl")) el.classList.remove("hl");
    clearSources(body);
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

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("session") || k.includes("digits") || k.includes("focus")) render();
  });
  return { render };
}
