import assert from "node:assert/strict";
import { test } from "node:test";
import {
  MATRIX_DISPLAYS,
  axisTicks,
  cellAtPoint,
  cellRects,
  chooseDisplay,
  elideIndices,
  heatmapCellSize,
  moveCell,
  shownIndices,
} from "../../static/js/matrix-display.js";

const room = { maxRows: 16, maxCols: 15 };

test("auto draws a matrix in full when it fits, elided when a little too large, else as a heatmap", () => {
  assert.deepEqual(MATRIX_DISPLAYS, ["auto", "full", "elided", "heatmap"]);
  assert.equal(chooseDisplay("auto", 2, 2, room), "full");
  assert.equal(chooseDisplay("auto", 16, 15, room), "full");
  assert.equal(chooseDisplay("auto", 16, 16, room), "elided"); // one column too many
  assert.equal(chooseDisplay("auto", 32, 10, room), "elided"); // (W²)ᵀ of 64-32-10
  assert.equal(chooseDisplay("auto", 256, 1, room), "elided"); // a long vector: never a heatmap
  assert.equal(chooseDisplay("auto", 32, 32, room), "heatmap"); // z¹ of 64-32-10, batch 32
  assert.equal(chooseDisplay("auto", 32, 64, room), "heatmap"); // W¹ of 64-32-10
  assert.equal(chooseDisplay("auto", 256, 256, room), "heatmap");
  assert.equal(chooseDisplay("auto", 40, 5, room), "heatmap"); // more than twice too tall
  assert.equal(chooseDisplay("auto", 40, 4, room), "elided"); // but thin
  assert.equal(chooseDisplay("auto", 1, 32, room), "elided"); // one output, batch 32
});

test("a choice other than auto is kept whatever the size", () => {
  for (const choice of ["full", "elided", "heatmap"]) {
    assert.equal(chooseDisplay(choice, 2, 2, room), choice);
    assert.equal(chooseDisplay(choice, 256, 256, room), choice);
  }
  // a narrower panel (presenting: larger numbers) fits fewer columns
  assert.equal(chooseDisplay("auto", 16, 16, { maxRows: 16, maxCols: 7 }), "heatmap");
});

test("elided axes keep their first and last indices around one gap", () => {
  assert.deepEqual(elideIndices(10, 4), [0, 1, null, 8, 9]);
  assert.deepEqual(elideIndices(32, 8), [0, 1, 2, 3, null, 28, 29, 30, 31]);
  assert.deepEqual(elideIndices(5, 3), [0, 1, null, 4]);
  // a gap would hide a single index: all of them instead
  assert.deepEqual(elideIndices(9, 8), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(elideIndices(3, 8), [0, 1, 2]);
  assert.deepEqual(elideIndices(1, 8), [0]);
  assert.deepEqual(elideIndices(0, 8), []);
});

test("shown indices: every index in full, at most 8 rows and the columns that fit elided, none for a heatmap", () => {
  assert.deepEqual(shownIndices("full", 2, 3, room), { rows: [0, 1], cols: [0, 1, 2] });
  const elided = shownIndices("elided", 64, 32, room);
  assert.deepEqual(elided.rows, [0, 1, 2, 3, null, 60, 61, 62, 63]);
  assert.deepEqual(elided.cols, [0, 1, 2, 3, null, 28, 29, 30, 31]);
  assert.deepEqual(shownIndices("elided", 64, 32, { maxRows: 16, maxCols: 5 }).cols, [0, 1, null, 30, 31]);
  assert.deepEqual(shownIndices("elided", 32, 1, room).cols, [0]); // a vector keeps its column
  assert.equal(shownIndices("heatmap", 64, 32, room), null);
});

test("heatmap cells are square, as large as the box allows, within bounds", () => {
  assert.equal(heatmapCellSize(32, 64, { width: 840, height: 320 }), 10);
  assert.equal(heatmapCellSize(10, 32, { width: 840, height: 270 }), 12); // at most 12 px
  assert.equal(heatmapCellSize(64, 32, { width: 840, height: 320 }), 5);
  assert.equal(heatmapCellSize(256, 256, { width: 840, height: 320 }), 1);
  assert.equal(heatmapCellSize(2, 2, { width: 840, height: 320 }), 12);
  assert.equal(heatmapCellSize(1024, 1024, { width: 840, height: 320 }), 1);
  assert.equal(heatmapCellSize(2, 2, { width: 840, height: 320 }, 1, 20), 20);
});

test("axis labels: 0, evenly spaced steps at least `gap` px apart, and the last index", () => {
  assert.deepEqual(axisTicks(32, 10, 24), [0, 4, 8, 12, 16, 20, 24, 28, 31]);
  assert.deepEqual(axisTicks(10, 20, 16), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(axisTicks(256, 1, 24), [0, 25, 50, 75, 100, 125, 150, 175, 200, 225, 255]);
  // a step that would crowd the last label gives way to it
  assert.deepEqual(axisTicks(33, 10, 24), [0, 4, 8, 12, 16, 20, 24, 28, 32]);
  assert.deepEqual(axisTicks(30, 10, 24), [0, 4, 8, 12, 16, 20, 24, 29]);
  assert.deepEqual(axisTicks(1, 10, 24), [0]);
  assert.deepEqual(axisTicks(0, 10, 24), []);
});

test("a point maps to the cell under it, whatever the box's scale", () => {
  assert.deepEqual(cellAtPoint(0, 0, 320, 160, 16, 32), [0, 0]);
  assert.deepEqual(cellAtPoint(319.9, 159.9, 320, 160, 16, 32), [15, 31]);
  assert.deepEqual(cellAtPoint(25, 15, 320, 160, 16, 32), [1, 2]);
  assert.deepEqual(cellAtPoint(50, 30, 640, 320, 16, 32), [1, 2]); // zoomed 2×: the same cell
  assert.equal(cellAtPoint(-1, 5, 320, 160, 16, 32), null);
  assert.equal(cellAtPoint(320, 5, 320, 160, 16, 32), null);
});

test("keys move the active cell and stay inside the grid", () => {
  assert.deepEqual(moveCell("ArrowDown", 0, 0, 4, 5), [1, 0]);
  assert.deepEqual(moveCell("ArrowUp", 0, 0, 4, 5), [0, 0]);
  assert.deepEqual(moveCell("ArrowRight", 2, 4, 4, 5), [2, 4]);
  assert.deepEqual(moveCell("ArrowLeft", 2, 4, 4, 5), [2, 3]);
  assert.deepEqual(moveCell("End", 2, 1, 4, 5), [2, 4]);
  assert.deepEqual(moveCell("Home", 2, 3, 4, 5), [2, 0]);
  assert.deepEqual(moveCell("PageDown", 1, 3, 40, 5), [9, 3]);
  assert.deepEqual(moveCell("PageDown", 1, 3, 4, 5), [3, 3]);
  assert.deepEqual(moveCell("PageUp", 5, 3, 40, 5, 4), [1, 3]);
  assert.equal(moveCell("Enter", 1, 1, 4, 5), null);
});

test("cells merge into rectangles: a row, a column, scattered cells", () => {
  const row = Array.from({ length: 64 }, (_, c) => [3, c]);
  assert.deepEqual(cellRects(row), [{ row: 3, col: 0, rows: 1, cols: 64 }]);
  const column = Array.from({ length: 32 }, (_, r) => [r, 5]);
  assert.deepEqual(cellRects(column), [{ row: 0, col: 5, rows: 32, cols: 1 }]);
  assert.deepEqual(cellRects([[0, 0], [0, 2], [1, 0]]), [
    { row: 0, col: 0, rows: 2, cols: 1 },
    { row: 0, col: 2, rows: 1, cols: 1 },
  ]);
  assert.deepEqual(cellRects([[2, 1], [2, 1]]), [{ row: 2, col: 1, rows: 1, cols: 1 }]);
  assert.deepEqual(cellRects([]), []);
});
