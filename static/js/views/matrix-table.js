// Renders one operand of an equation as a bracketed, labelled figure: a
// <table> of its numbers, in full or elided (the first and last rows and
// columns around "…", every shown cell keeping its real indices), or a
// heatmap (views/heatmap.js) when the numbers would not fit; matrix-display.js
// decides which from the user's choice and the room the panel has.
// Values go in with textContent; full precision sits in data-value, and the
// cell's name and full value go into its title when it is first hovered
// (cellTitle), which keeps a step with hundreds of cells fast to render.
//
// Speed: an empty table of each shape is built once and cloned (cloneNode is
// native and much faster than creating every cell), then filled in by
// updateMatrix, which also updates a shown figure in place when the next step
// has a matrix of the same shape and display there. Tables use a fixed layout
// with column widths from the longest printed number, so the browser does not
// measure every cell.
import { cellClass, formatNumber, fullPrecision, shapeText } from "../format.js";
import { chooseDisplay, heatmapCellSize, moveCell, shownIndices } from "../matrix-display.js";
import { clearHeatmapMarks, drawHeatmap, heatmapParts, markHeatmapCell, wireHeatmap } from "./heatmap.js";
import { keepCells } from "./matrix-cells.js";

// Without a measured room (the gradient check's tables), everything is drawn in full.
const NO_ROOM = { maxRows: Infinity, maxCols: Infinity, heatmap: { width: 480, height: 320 } };

/**
 * How a term is drawn with these options ({choice, room}, see
 * views/matrix-display.js): {display, rows, cols} with the shown indices (null
 * for a gap) for a table, {display: "heatmap", cell} (px) for a heatmap.
 */
export function matrixLayout(term, opts = {}) {
  const rows = term.data.length;
  const cols = rows ? term.data[0].length : 0;
  const room = opts.room ?? NO_ROOM;
  const display = chooseDisplay(opts.choice ?? "full", rows, cols, room);
  if (display === "heatmap") return { display, cell: heatmapCellSize(rows, cols, room.heatmap) };
  return { display, ...shownIndices(display, rows, cols, room) };
}

/** A matrix's signature: figures with the same one can be updated in place. */
export function matrixSignature(term, opts) {
  const rows = term.data.length;
  const cols = rows ? term.data[0].length : 0;
  const layout = matrixLayout(term, opts);
  const shown = layout.display === "heatmap" ? `${layout.cell}px` : `${layout.rows.length}.${layout.cols.length}`;
  return `${rows}x${cols}${term.vector ? "v" : ""}${term.cols}${term.rows}:${layout.display}${shown}`;
}

const skeletons = new Map();

function figureShell(sig, display) {
  const fig = document.createElement("figure");
  const cap = document.createElement("figcaption");
  const sym = document.createElement("span");
  sym.className = "operand__symbol";
  const shape = document.createElement("span");
  shape.className = "operand__shape";
  cap.append(sym, shape);
  const wrap = document.createElement("div");
  wrap.className = "bracket";
  fig.append(cap, wrap);
  fig.dataset.signature = sig;
  fig.dataset.display = display;
  return { fig, wrap };
}

/** Text read by screen readers and not shown. */
function srOnly(text) {
  const span = document.createElement("span");
  span.className = "sr-only";
  span.textContent = text;
  return span;
}

/** A header or gap cell: "…" across, "⋮" down, "⋱" where both gaps meet. */
function gapCell(tag, text) {
  const cell = document.createElement(tag);
  cell.className = "gap";
  cell.setAttribute("aria-hidden", "true");
  cell.textContent = text;
  return cell;
}

function tableSkeleton(term, layout, sig) {
  const { fig, wrap } = figureShell(sig, layout.display);
  const { rows, cols } = layout;
  const table = document.createElement("table");
  // wide matrices (16 neurons, big batches) use smaller type to fit the line
  table.className = cols.length >= 10 ? "matrix matrix--dense" : "matrix";
  const caption = document.createElement("caption");
  caption.className = "sr-only";
  const colgroup = document.createElement("colgroup");
  const headCol = document.createElement("col");
  headCol.className = "matrix__head-col";
  colgroup.append(headCol);
  for (const c of cols) {
    const col = document.createElement("col");
    if (c === null) col.className = "matrix__gap-col";
    colgroup.append(col);
  }
  const thead = document.createElement("thead");
  const hr = document.createElement("tr");
  const corner = document.createElement("th");
  corner.scope = "col";
  corner.className = "corner";
  corner.append(srOnly("row"));
  hr.append(corner);
  for (const c of cols) {
    if (c === null) {
      hr.append(gapCell("th", "…"));
      continue;
    }
    const th = document.createElement("th");
    th.scope = "col";
    if (!term.vector && term.cols === "samples") {
      th.textContent = `s${c}`;
      th.title = `sample ${c} of the batch`;
    } else if (!term.vector) th.textContent = String(c);
    else th.append(srOnly("value")); // a vector's one column: named for screen readers only
    hr.append(th);
  }
  thead.append(hr);
  const tbody = document.createElement("tbody");
  for (const r of rows) {
    const tr = document.createElement("tr");
    if (r === null) {
      tr.className = "gap-row";
      tr.append(gapCell("th", "⋮"));
      for (const c of cols) tr.append(gapCell("td", c === null ? "⋱" : "⋮"));
      tbody.append(tr);
      continue;
    }
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = term.rows === "samples" ? `s${r}` : String(r);
    tr.append(th);
    for (const c of cols) {
      if (c === null) {
        tr.append(gapCell("td", "…"));
        continue;
      }
      const td = document.createElement("td");
      td.dataset.row = String(r);
      td.dataset.col = String(c);
      td.append(document.createTextNode(""));
      tr.append(td);
    }
    tbody.append(tr);
  }
  table.append(caption, colgroup, thead, tbody);
  wrap.append(table);
  return fig;
}

function heatmapSkeleton(term, layout, sig) {
  const { fig, wrap } = figureShell(sig, "heatmap");
  const rows = term.data.length;
  const { body, readout } = heatmapParts(term, rows, rows ? term.data[0].length : 0, layout.cell);
  wrap.append(body);
  fig.append(readout);
  return fig;
}

/**
 * term: a matrix term from equation.js; opts: {digits, range, focus, choice, room}.
 * Returns a <figure data-matrix=… data-role=… data-display=…>.
 */
export function renderMatrix(term, opts) {
  const layout = matrixLayout(term, opts);
  const sig = matrixSignature(term, opts);
  let proto = skeletons.get(sig);
  if (!proto) {
    proto = layout.display === "heatmap" ? heatmapSkeleton(term, layout, sig) : tableSkeleton(term, layout, sig);
    // in full the shown table holds every value (views/matrix-cells.js)
    if (layout.display === "full") proto.querySelector("table").dataset.cells = "";
    skeletons.set(sig, proto);
  }
  const fig = proto.cloneNode(true); // listeners are not cloned: wired below
  if (layout.display === "heatmap") wireHeatmap(fig);
  if (layout.display === "elided") wireElided(fig, layout);
  updateMatrix(fig, term, opts);
  return fig;
}

function captionText(term, display) {
  const colWord = term.cols === "samples" ? "columns are samples" : "columns are indices k";
  const rowWord = term.rows === "samples" ? "rows are samples" : "rows are indices j";
  const elided = display === "elided" ? "; only the first and last rows and columns are shown" : "";
  return `${term.text}, ${shapeText(term.shape)}; ${rowWord}, ${term.vector ? "a vector" : colWord}${elided}`;
}

/**
 * Fill in (or update) a figure made for a term of the same signature, writing
 * only what changed: label, shape, text, colour class, full value.
 */
export function updateMatrix(fig, term, opts) {
  const figClass = `operand operand--${term.role} operand--${fig.dataset.display}`;
  if (fig.className !== figClass) fig.className = figClass;
  fig.dataset.matrix = term.key;
  fig.dataset.role = term.role;
  if (term.layer !== undefined) fig.dataset.layer = String(term.layer);
  else delete fig.dataset.layer;
  const sym = fig.querySelector(".operand__symbol");
  if (sym.textContent !== term.text) sym.textContent = term.text;
  const shape = fig.querySelector(".operand__shape");
  const shapeStr = shapeText(term.shape);
  if (shape.textContent !== shapeStr) {
    shape.textContent = shapeStr;
    shape.dataset.shape = shapeStr;
  }
  const layout = matrixLayout(term, opts);
  if (layout.display === "heatmap") drawHeatmap(fig, term, opts, layout);
  else updateTable(fig, term, opts, layout);
  if (layout.display !== "full") keepCells(fig, term.data);
}

function updateTable(fig, term, opts, layout) {
  const { digits, range, focus } = opts;
  const table = fig.querySelector("table.matrix");
  // every table can be explored from the keyboard (arrow keys) and its cells
  // opened (Enter), so no value needs a hover (see views/equation.js)
  if (table.tabIndex !== 0) table.tabIndex = 0;
  const rows = layout.rows;
  const cols = layout.cols;
  const texts = rows.map((r) => (r === null ? null : cols.map((c) => (c === null ? "" : formatNumber(term.data[r][c], digits)))));
  let longest = 1;
  for (const row of texts) if (row) for (const t of row) if (t.length > longest) longest = t.length;
  const shown = cols.filter((c) => c !== null).length;
  const gaps = cols.length - shown;
  if (table.dataset.longest !== String(longest)) {
    table.dataset.longest = String(longest);
    const pad = cols.length >= 10 ? "0.4rem" : "0.75rem";
    for (const col of table.querySelectorAll("col:not(.matrix__head-col):not(.matrix__gap-col)")) {
      col.style.width = `calc(${longest}ch + ${pad})`;
    }
    table.style.width = `calc(1.9rem + ${shown} * (${longest}ch + ${pad}) + ${gaps} * 1.5rem + ${(cols.length + 2) * 2}px)`;
  }
  const caption = table.caption;
  const captionStr = captionText(term, layout.display);
  if (caption.textContent !== captionStr) caption.textContent = captionStr;
  const heads = table.tHead.rows[0].cells;
  cols.forEach((c, pc) => {
    const dim = c !== null && term.cols === "samples" && focus !== null && c !== focus;
    if (heads[pc + 1].classList.contains("dim") !== dim) heads[pc + 1].classList.toggle("dim", dim);
  });
  const bodyRows = table.tBodies[0].rows;
  rows.forEach((r, pr) => {
    if (r === null) return;
    const cells = bodyRows[pr].cells;
    const headCell = cells[0];
    const rowDim = term.rows === "samples" && focus !== null && r !== focus;
    if (headCell.classList.contains("dim") !== rowDim) headCell.classList.toggle("dim", rowDim);
    cols.forEach((c, pc) => {
      if (c === null) return;
      const td = cells[pc + 1];
      const v = term.data[r][c];
      const text = texts[pr][pc];
      if (td.firstChild.nodeValue !== text) td.firstChild.nodeValue = text;
      const full = fullPrecision(v);
      if (td.dataset.value !== full) {
        td.dataset.value = full;
        if (td.hasAttribute("title")) td.removeAttribute("title"); // written again on hover
      }
      const sampleAxis = term.cols === "samples" ? c : term.rows === "samples" ? r : null;
      const dim = focus !== null && sampleAxis !== null && sampleAxis !== focus;
      const cls = dim ? `${cellClass(v, range, term.scale)} dim` : cellClass(v, range, term.scale);
      if (td.className !== cls) td.className = cls;
    });
  });
}

/**
 * An elided result table moves through the cells it shows with the arrow
 * keys (and Home, End, PageUp, PageDown), stepping over the gaps; it says which
 * cell it reached with a "bpl:cell" event, as a heatmap does. (Full tables
 * are moved through by views/equation.js.)
 */
function wireElided(fig, layout) {
  const rows = layout.rows.filter((r) => r !== null);
  const cols = layout.cols.filter((c) => c !== null);
  const table = fig.querySelector("table.matrix");
  table.addEventListener("keydown", (event) => {
    if (event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return;
    const r = Math.max(0, rows.indexOf(Number(table.dataset.activeRow ?? rows[0])));
    const c = Math.max(0, cols.indexOf(Number(table.dataset.activeCol ?? cols[0])));
    const next = moveCell(event.key, r, c, rows.length, cols.length, 4);
    if (!next) return;
    event.preventDefault();
    event.stopPropagation(); // not the page's shortcuts, nor views/equation.js's full-table moves
    table.dataset.activeRow = String(rows[next[0]]);
    table.dataset.activeCol = String(cols[next[1]]);
    const td = table.querySelector(`td[data-row="${rows[next[0]]}"][data-col="${cols[next[1]]}"]`);
    td.dispatchEvent(new CustomEvent("bpl:cell", { bubbles: true, detail: { announce: true } }));
  });
}

/** Light up cell [i, j] of a shown figure as a source of the highlighted result, if it is shown. */
export function markSource(fig, i, j) {
  if (fig.dataset.display === "heatmap") {
    markHeatmapCell(fig, i, j);
    return;
  }
  const cell = fig.querySelector(`td[data-row="${i}"][data-col="${j}"]`);
  if (cell) cell.classList.add("hl-source");
}

/** Take every source mark off the figures under `root`. */
export function clearSources(root) {
  for (const el of root.querySelectorAll(".hl-source")) el.classList.remove("hl-source");
  for (const fig of root.querySelectorAll("[data-display='heatmap']")) clearHeatmapMarks(fig);
}

/** The tooltip of a cell (or a heatmap's readout): its name after its source and its full value. */
export function cellTitle(term, td) {
  const r = Number(td.dataset.row);
  const c = Number(td.dataset.col);
  const name = term.vector ? term.name(r) : term.name(r, c);
  return `${name} = ${td.dataset.value}`;
}
