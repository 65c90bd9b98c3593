// Every value of a matrix shown elided or as a heatmap stays in the page, as
// <td data-row data-col data-value> (full precision) in a table that is not
// displayed: tests and readers can check all of them in every display, at the
// cost of attributes only (nothing of it is styled, laid out or painted).
// [data-cells] marks the table that holds all of a figure's values; in full,
// the shown table is that one.
//
// A large matrix (a 256 × 256 weight matrix) is written when the browser is
// idle, after the step is on the screen; until then its figure carries
// data-cells-pending.
import { fullPrecision } from "../format.js";

const SYNC_CELLS = 4096; // up to this many cells, written with the step
const prototypes = new Map(); // "rows×cols" → an empty table of that shape
const pending = new WeakMap(); // figure → its scheduled write

const idle = window.requestIdleCallback
  ? (fn) => window.requestIdleCallback(fn, { timeout: 1000 })
  : (fn) => window.setTimeout(fn, 50);
const cancelIdle = window.cancelIdleCallback ?? window.clearTimeout;

function emptyTable(rows, cols) {
  const key = `${rows}×${cols}`;
  let proto = prototypes.get(key);
  if (!proto) {
    proto = document.createElement("table");
    proto.hidden = true;
    proto.dataset.cells = "";
    const tbody = proto.createTBody();
    for (let r = 0; r < rows; r += 1) {
      const tr = tbody.insertRow();
      for (let c = 0; c < cols; c += 1) {
        const td = tr.insertCell();
        td.dataset.row = String(r);
        td.dataset.col = String(c);
      }
    }
    prototypes.set(key, proto);
  }
  return proto.cloneNode(true);
}

function write(fig, data) {
  const rows = data.length;
  const cols = rows ? data[0].length : 0;
  let table = fig.querySelector(":scope > table[data-cells]");
  if (!table) {
    table = emptyTable(rows, cols);
    fig.append(table);
  }
  const trs = table.tBodies[0].rows;
  for (let r = 0; r < rows; r += 1) {
    const cells = trs[r].cells;
    const row = data[r];
    for (let c = 0; c < cols; c += 1) cells[c].setAttribute("data-value", fullPrecision(row[c]));
  }
}

/** Keep every value of `data` (rows of the API's numbers) in `fig`'s table of cells. */
export function keepCells(fig, data) {
  const before = pending.get(fig);
  if (before !== undefined) cancelIdle(before);
  const count = data.length * (data[0]?.length ?? 0);
  if (count <= SYNC_CELLS) {
    pending.delete(fig);
    delete fig.dataset.cellsPending;
    write(fig, data);
    return;
  }
  fig.dataset.cellsPending = "";
  pending.set(
    fig,
    idle(() => {
      pending.delete(fig);
      write(fig, data);
      delete fig.dataset.cellsPending;
    }),
  );
}
