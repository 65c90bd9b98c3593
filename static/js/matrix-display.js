// Pure: how one matrix of the equation is drawn in the room the panel has —
// in full, elided (first and last rows and columns around "…") or as a
// heatmap (a colour per cell) — and the geometry of the heatmap and of moving
// through its cells. Numbers only; no DOM.

/** The user's choices; "auto" picks one of the other three per matrix. */
export const MATRIX_DISPLAYS = ["auto", "full", "elided", "heatmap"];

// An elided matrix keeps this many rows (and at most this many columns):
// half from the start, half from the end.
const ELIDED_KEEP = 8;
// A matrix with at most this many rows or columns is thin: elided, never a heatmap, in auto.
const THIN = 4;

/**
 * How a rows × cols matrix is drawn. `choice` is one of MATRIX_DISPLAYS;
 * `room` = {maxRows, maxCols}: how many rows and columns of numbers fit.
 * "auto": in full when it fits; elided when it is at most twice too large
 * each way (most of its numbers still show) or thin (a strip of colour says
 * less than its first and last numbers); a heatmap otherwise.
 */
export function chooseDisplay(choice, rows, cols, room) {
  if (choice === "full" || choice === "elided" || choice === "heatmap") return choice;
  if (rows <= room.maxRows && cols <= room.maxCols) return "full";
  if (rows <= 2 * room.maxRows && cols <= 2 * room.maxCols) return "elided";
  return Math.min(rows, cols) <= THIN ? "elided" : "heatmap";
}

/**
 * The indices of 0 … n−1 an elided axis shows when `keep` fit: all of them
 * when n ≤ keep + 1 (a gap would hide a single index), else the first
 * ⌈keep/2⌉ and the last ⌊keep/2⌋ with null (the gap, "…") between.
 * elideIndices(10, 4) → [0, 1, null, 8, 9].
 */
export function elideIndices(n, keep) {
  const all = Array.from({ length: n }, (_, i) => i);
  const k = Math.max(2, Math.floor(keep));
  if (n <= k + 1) return all;
  const head = Math.ceil(k / 2);
  const tail = k - head;
  return [...all.slice(0, head), null, ...all.slice(n - tail)];
}

/**
 * The rows and columns a matrix shows: every index in full, head and tail
 * around null elided (at most `room.maxCols − 1` columns, so that the gap
 * fits too); a heatmap shows every cell, so it has no index lists.
 */
export function shownIndices(display, rows, cols, room) {
  if (display === "heatmap") return null;
  if (display === "full") return { rows: elideIndices(rows, rows), cols: elideIndices(cols, cols) };
  const keepCols = Math.min(ELIDED_KEEP, Math.max(2, room.maxCols - 1));
  return { rows: elideIndices(rows, ELIDED_KEEP), cols: elideIndices(cols, keepCols) };
}

/**
 * The side (CSS px) of a heatmap's square cells: as large as fits a
 * box {width, height}, within [min, max] (larger cells would make a small
 * matrix a wall of colour). A 256 × 256 matrix in 300 px gets 1 px.
 */
export function heatmapCellSize(rows, cols, box, min = 1, max = 12) {
  const fit = Math.floor(Math.min(box.width / Math.max(cols, 1), box.height / Math.max(rows, 1)));
  return Math.min(max, Math.max(min, fit));
}

/**
 * Which of n cells of `cell` px along an axis get a label: 0, every step-th
 * (1, 2, 4, 5, 8, 10, 16, … so that labels are at least `gap` px apart) and the last.
 */
export function axisTicks(n, cell, gap) {
  if (n <= 0) return [];
  const steps = [1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100, 128, 256, 512, 1024];
  const step = steps.find((s) => s * cell >= gap) ?? n;
  const ticks = [];
  for (let i = 0; i < n; i += step) ticks.push(i);
  const last = n - 1;
  // the last index replaces a tick too close to it
  if (ticks[ticks.length - 1] !== last) {
    if ((last - ticks[ticks.length - 1]) * cell < gap && ticks.length > 1) ticks.pop();
    ticks.push(last);
  }
  return ticks;
}

/** The [row, col] under a point (x, y) of a box width × height showing rows × cols, or null outside it. */
export function cellAtPoint(x, y, width, height, rows, cols) {
  if (!(x >= 0 && y >= 0 && x < width && y < height)) return null;
  return [Math.min(rows - 1, Math.floor((y / height) * rows)), Math.min(cols - 1, Math.floor((x / width) * cols))];
}

/**
 * Where a key moves the active cell of a rows × cols grid: the arrows by one,
 * Home/End to the row's first/last cell, PageUp/PageDown by `page` rows;
 * null for any other key. Stays inside the grid.
 */
export function moveCell(key, row, col, rows, cols, page = 8) {
  const clamp = (v, n) => Math.min(Math.max(v, 0), n - 1);
  const moves = {
    ArrowUp: [row - 1, col],
    ArrowDown: [row + 1, col],
    ArrowLeft: [row, col - 1],
    ArrowRight: [row, col + 1],
    Home: [row, 0],
    End: [row, cols - 1],
    PageUp: [row - page, col],
    PageDown: [row + page, col],
  };
  const to = moves[key];
  return to ? [clamp(to[0], rows), clamp(to[1], cols)] : null;
}

/**
 * Cells [[row, col], …] as few rectangles {row, col, rows, cols}: runs of
 * adjacent cells along a row, and runs with the same columns in consecutive
 * rows stacked into one (a column of a matrix is one rectangle, not m).
 */
export function cellRects(cells) {
  const byRow = new Map();
  for (const [r, c] of cells) {
    if (!byRow.has(r)) byRow.set(r, new Set());
    byRow.get(r).add(c);
  }
  const runs = [];
  for (const r of [...byRow.keys()].sort((a, b) => a - b)) {
    const cols = [...byRow.get(r)].sort((a, b) => a - b);
    let start = cols[0];
    for (let i = 1; i <= cols.length; i += 1) {
      if (i < cols.length && cols[i] === cols[i - 1] + 1) continue;
      runs.push({ row: r, col: start, rows: 1, cols: cols[i - 1] - start + 1 });
      start = cols[i];
    }
  }
  const rects = [];
  for (const run of runs) {
    const above = rects.find((q) => q.col === run.col && q.cols === run.cols && q.row + q.rows === run.row);
    if (above) above.rows += 1;
    else rects.push({ ...run });
  }
  return rects;
}
