// A matrix too large to print, drawn as a heatmap: a <canvas> with one pixel
// per cell, scaled up without smoothing to square cells, in the table cells'
// colours (read from app.css's q- classes, so both always agree), with row and
// column labels. One element instead of thousands of cells is what keeps a
// step of a 256-wide layer fast.
//
// Values never depend on hover alone: a readout line under the heatmap shows
// the cell under the mouse, the cell tapped or clicked, or the cell the arrow
// keys reach (the grid is focusable), as "W¹[3][5] = −0.1234 (full value)",
// and carries data-row, data-col and data-value (full precision) as a table
// cell does. The readout is the heatmap's "cell" for views/equation.js: a
// "bpl:cell" event on it says the active cell changed, so the operands it came
// from and its neuron or edge light up as they do for a table cell.
import { cellClass, formatNumber, fullPrecision, shapeText } from "../format.js";
import { axisTicks, cellAtPoint, cellRects, moveCell } from "../matrix-display.js";

const LABEL_GAP = { rows: 14, cols: 26 }; // px between axis labels
const DIM_ALPHA = 77; // a cell outside the focused sample: 0.3 opaque, as dimmed table cells

/**
 * A length of `px` heatmap pixels: CSS pixels times --heatmap-zoom, which the
 * zoom (Z) sets to the tables' growth (arithmetic.css), so heatmaps grow with them.
 */
const hpx = (px) => `calc(${px}px * var(--heatmap-zoom, 1))`;

const states = new WeakMap(); // figure → {term, opts, rows, cols, cell, active: [r, c] | null, marks: [[r, c]]}

let palette = null;

/** Each colour class's background as [r, g, b], read once from the stylesheet. */
function colours() {
  if (palette) return palette;
  palette = new Map();
  const table = document.createElement("table");
  table.className = "heatmap-palette";
  table.setAttribute("aria-hidden", "true");
  const row = table.insertRow();
  const names = [];
  for (const scale of ["value", "error"]) {
    for (let q = -8; q <= 8; q += 1) names.push(`q-${scale}-${q < 0 ? `n${-q}` : q === 0 ? "0" : `p${q}`}`);
  }
  for (const name of names) row.insertCell().className = name;
  document.body.append(table);
  for (const td of row.cells) {
    const rgb = getComputedStyle(td).backgroundColor.match(/\d+/g).map(Number);
    palette.set(td.className, rgb.slice(0, 3));
  }
  table.remove();
  return palette;
}

const element = (tag, className) => {
  const el = document.createElement(tag);
  if (className) el.className = className;
  return el;
};

/**
 * The body of a heatmap figure (what goes inside its bracket) and its readout,
 * for a rows × cols matrix of `cell` px cells; `term` names the axes.
 */
export function heatmapParts(term, rows, cols, cell) {
  const wrap = element("div", "heatmap");
  const colLabels = element("div", "heatmap__cols");
  const rowLabels = element("div", "heatmap__rows");
  colLabels.setAttribute("aria-hidden", "true");
  rowLabels.setAttribute("aria-hidden", "true");
  const label = (axis, i, isSample) => {
    const span = element("span");
    span.textContent = isSample ? `s${i}` : String(i);
    span.style.setProperty(axis === "cols" ? "left" : "top", hpx((i + 0.5) * cell));
    return span;
  };
  if (!term.vector) {
    for (const c of axisTicks(cols, cell, LABEL_GAP.cols)) colLabels.append(label("cols", c, term.cols === "samples"));
  }
  for (const r of axisTicks(rows, cell, LABEL_GAP.rows)) rowLabels.append(label("rows", r, term.rows === "samples"));
  const grid = element("div", "heatmap__grid");
  grid.tabIndex = 0;
  grid.setAttribute("role", "application");
  grid.setAttribute("aria-roledescription", "heatmap");
  grid.style.width = hpx(cols * cell);
  grid.style.height = hpx(rows * cell);
  const canvas = element("canvas");
  canvas.width = cols;
  canvas.height = rows;
  const marks = element("div", "heatmap__marks");
  const picks = element("div", "heatmap__picks");
  const active = element("div", "heatmap__active");
  active.hidden = true;
  grid.append(canvas, marks, picks, active);
  wrap.append(colLabels, rowLabels, grid);
  const readout = element("p", "heatmap__readout");
  readout.dataset.readout = "";
  return { body: wrap, readout };
}

/** Wire a new heatmap figure: pointer, tap and keys move its active cell. */
export function wireHeatmap(fig) {
  const grid = fig.querySelector(".heatmap__grid");
  const at = (event) => {
    const s = states.get(fig);
    const box = grid.getBoundingClientRect(); // scaled by a zoom like the canvas, so cells map 1:1
    return cellAtPoint(event.clientX - box.left, event.clientY - box.top, box.width, box.height, s.rows, s.cols);
  };
  grid.addEventListener("pointermove", (event) => {
    if (event.pointerType !== "mouse") return; // a finger scrolls; a tap selects (click)
    const cell = at(event);
    if (cell) activate(fig, cell, false);
  });
  grid.addEventListener("click", (event) => {
    const cell = at(event);
    if (cell) {
      activate(fig, cell, true);
      pick(fig); // a click or a tap opens the cell's expansion, as on a table cell
    }
  });
  grid.addEventListener("focus", () => activate(fig, states.get(fig).active ?? [0, 0], true));
  grid.addEventListener("keydown", (event) => {
    if (event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return;
    const s = states.get(fig);
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault(); // the cell's expansion, not the page's Enter (finish) or Space (play)
      event.stopPropagation();
      if (!s.active) activate(fig, [0, 0], true);
      pick(fig);
      return;
    }
    const [r, c] = s.active ?? [0, 0];
    const next = moveCell(event.key, r, c, s.rows, s.cols);
    if (!next) return;
    event.preventDefault(); // the page's shortcuts (→ steps) leave it alone
    event.stopPropagation();
    activate(fig, next, true);
  });
}

/** Ask for the active cell's expansion: a "bpl:pick" event from the readout, which names it. */
function pick(fig) {
  fig.querySelector("[data-readout]").dispatchEvent(new CustomEvent("bpl:pick", { bubbles: true }));
}

/** Make [r, c] the active cell: outline it, fill the readout, announce it if the user chose it. */
function activate(fig, [r, c], announce) {
  const s = states.get(fig);
  const same = s.active && s.active[0] === r && s.active[1] === c;
  s.active = [r, c];
  showActive(fig);
  const readout = fig.querySelector("[data-readout]");
  if (!same || !readout.classList.contains("hl")) {
    readout.dispatchEvent(new CustomEvent("bpl:cell", { bubbles: true, detail: { announce } }));
  }
}

function showActive(fig) {
  const s = states.get(fig);
  const box = fig.querySelector(".heatmap__active");
  const readout = fig.querySelector("[data-readout]");
  if (!s.active) {
    box.hidden = true;
    writeIdle(readout, s.term, s.opts.digits);
    return;
  }
  const [r, c] = s.active;
  box.hidden = false;
  place(box, { row: r, col: c, rows: 1, cols: 1 }, s.cell);
  const v = s.term.data[r][c];
  const full = fullPrecision(v);
  const name = s.term.vector ? s.term.name(r) : s.term.name(r, c);
  const text = `${name} = ${formatNumber(v, s.opts.digits)} (${full})`;
  if (readout.textContent !== text) readout.textContent = text;
  if (readout.dataset.value !== full || readout.dataset.row !== String(r) || readout.dataset.col !== String(c)) {
    readout.dataset.row = String(r);
    readout.dataset.col = String(c);
    readout.dataset.value = full;
    readout.removeAttribute("title"); // written again when highlighted (cellTitle)
  }
}

/** With no active cell the readout gives the range of the colours: the smallest and the largest entry. */
function writeIdle(readout, term, digits) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of term.data) {
    for (const v of row) {
      if (typeof v !== "number") continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  readout.textContent = lo <= hi ? `${formatNumber(lo, digits)} … ${formatNumber(hi, digits)}` : "no finite values";
  readout.title = "The smallest and the largest entry. Hover, tap or use the arrow keys for one entry's value.";
  delete readout.dataset.row;
  delete readout.dataset.col;
  delete readout.dataset.value;
}

function place(box, rect, cell) {
  box.style.left = hpx(rect.col * cell);
  box.style.top = hpx(rect.row * cell);
  box.style.width = hpx(rect.cols * cell);
  box.style.height = hpx(rect.rows * cell);
}

/**
 * Draw (or redraw) a heatmap figure's cells for `term` ({data, scale, cols,
 * rows: which axis holds samples}) and opts {digits, range, focus}.
 */
export function drawHeatmap(fig, term, opts, layout) {
  const rows = term.data.length;
  const cols = rows ? term.data[0].length : 0;
  const prev = states.get(fig);
  states.set(fig, { term, opts, rows, cols, cell: layout.cell, active: prev?.active ?? null, marks: [] });
  const grid = fig.querySelector(".heatmap__grid");
  grid.setAttribute("aria-label", `${term.text}, ${shapeText(term.shape)}, as a heatmap: the arrow keys move between cells; the value shows below`);
  const canvas = grid.querySelector("canvas");
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(cols, rows);
  const px = image.data;
  const rgbOf = colours();
  const { range, focus } = opts;
  for (let r = 0; r < rows; r += 1) {
    const row = term.data[r];
    for (let c = 0; c < cols; c += 1) {
      const [red, green, blue] = rgbOf.get(cellClass(row[c], range, term.scale));
      const sample = term.cols === "samples" ? c : term.rows === "samples" ? r : null;
      const i = 4 * (r * cols + c);
      px[i] = red;
      px[i + 1] = green;
      px[i + 2] = blue;
      px[i + 3] = focus !== null && sample !== null && sample !== focus ? DIM_ALPHA : 255;
    }
  }
  ctx.putImageData(image, 0, 0);
  fig.querySelector(".heatmap__marks").replaceChildren();
  showActive(fig);
}

/** Light up cell [i, j] of a heatmap as a source of the highlighted result (drawn once per task). */
export function markHeatmapCell(fig, i, j) {
  const s = states.get(fig);
  if (!s || i >= s.rows || j >= s.cols) return;
  if (s.marks.length === 0) queueMicrotask(() => drawMarks(fig));
  s.marks.push([i, j]);
}

function drawMarks(fig) {
  const s = states.get(fig);
  const layer = fig.querySelector(".heatmap__marks");
  layer.replaceChildren(
    ...cellRects(s.marks).map((rect) => {
      const box = element("div", "heatmap__mark");
      place(box, rect, s.cell);
      return box;
    }),
  );
}

/** Take the source marks off a heatmap figure. */
export function clearHeatmapMarks(fig) {
  const s = states.get(fig);
  if (s) s.marks = [];
  fig.querySelector(".heatmap__marks")?.replaceChildren();
}

/**
 * A box over cell [r, c] of a heatmap figure, for the classes that mark a
 * table cell (the pick and its operands, views/equation.js): made on first
 * use, with the data-row, data-col and data-value a table cell has. A box
 * left with no mark is dropped by pruneHeatmapCells.
 */
export function heatmapCell(fig, r, c) {
  const s = states.get(fig);
  if (!s || r >= s.rows || c >= s.cols) return null;
  const layer = fig.querySelector(".heatmap__picks");
  let box = layer.querySelector(`[data-row="${r}"][data-col="${c}"]`);
  if (!box) {
    box = element("div", "heatmap__cell");
    box.dataset.row = String(r);
    box.dataset.col = String(c);
    place(box, { row: r, col: c, rows: 1, cols: 1 }, s.cell);
    layer.append(box);
  }
  box.dataset.value = fullPrecision(s.term.data[r][c]);
  return box;
}

/** Drop the cell boxes under `root` that no longer carry a mark. */
export function pruneHeatmapCells(root) {
  for (const box of root.querySelectorAll(".heatmap__cell")) if (box.classList.length === 1) box.remove();
}
