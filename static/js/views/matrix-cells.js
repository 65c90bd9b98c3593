// Every value of a matrix shown elided or as a heatmap stays in the page, as
// <td data-col data-value> (full precision) in rows <tr data-row> of a table
// that is not displayed: tests and readers can check all of them in every
// display, at the cost of attributes only (nothing of it is styled, laid out
// or painted). [data-cells] marks the table that holds all of a figure's
// values; in full, the shown table is that one.
//
// Past a few hundred cells they are written when the browser is idle, after
// the step is on the screen, a few rows at a time (a cell costs about 1.5 µs:
// a 256 × 256 matrix would hold the main thread for 100 ms); until they are
// all written the figure carries data-cells-pending.
import { fullPrecision } from "../format.js";

const SYNC_CELLS = 512; // up to this many cells, written with the step
const rowPrototypes = new Map(); // cols → an empty <tr> of that many cells
const pending = new WeakMap(); // figure → its scheduled write

const idle = window.requestIdleCallback
  ? (fn) => window.requestIdleCallback(fn, { timeout: 1000 })
  : (fn) => window.setTimeout(() => fn({ timeRemaining: () => 8, didTimeout: false }), 20);
const cancelIdle = window.cancelIdleCallback ?? window.clearTimeout;

function emptyRow(cols) {
  let proto = rowPrototypes.get(cols);
  if (!proto) {
    proto = document.createElement("tr");
    for (let c = 0; c < cols; c += 1) proto.insertCell().dataset.col = String(c);
    rowPrototypes.set(cols, proto);
  }
  return proto.cloneNode(true);
}

function cellTable(fig) {
  let table = fig.querySelector(":scope > table[data-cells]");
  if (!table) {
    table = document.createElement("table");
    table.hidden = true;
    table.dataset.cells = "";
    table.createTBody();
    fig.append(table);
  }
  return table.tBodies[0];
}

/** Write row r of `data` into `tbody`, making the row if it is not there yet. */
function writeRow(tbody, data, r) {
  let tr = tbody.rows[r];
  if (!tr) {
    tr = emptyRow(data[r].length);
    tr.dataset.row = String(r);
    tbody.append(tr);
  }
  const cells = tr.cells;
  const row = data[r];
  for (let c = 0; c < row.length; c += 1) cells[c].setAttribute("data-value", fullPrecision(row[c]));
}

/** Keep every value of `data` (rows of the API's numbers) in `fig`'s table of cells. */
export function keepCells(fig, data) {
  const before = pending.get(fig);
  if (before !== undefined) cancelIdle(before);
  pending.delete(fig);
  const tbody = cellTable(fig);
  if (data.length * (data[0]?.length ?? 0) <= SYNC_CELLS) {
    for (let r = 0; r < data.length; r += 1) writeRow(tbody, data, r);
    delete fig.dataset.cellsPending;
    return;
  }
  fig.dataset.cellsPending = "";
  let next = 0;
  const cols = data[0].length;
  const slice = (deadline) => {
    // until the frame's idle time runs out; a page that is never idle still gets a few rows a second
    const more = (written) => (deadline.didTimeout ? written < SYNC_CELLS : deadline.timeRemaining() > 2);
    let written = 0;
    do {
      writeRow(tbody, data, next++);
      written += cols;
    } while (next < data.length && more(written));
    if (next < data.length) pending.set(fig, idle(slice));
    else {
      pending.delete(fig);
      delete fig.dataset.cellsPending;
    }
  };
  pending.set(fig, idle(slice));
}
