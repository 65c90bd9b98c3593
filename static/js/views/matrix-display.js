// The equation panel's "Matrices" choice (auto, full, elided, heatmap; see
// matrix-display.js), remembered per page, and the room the panel has for a
// matrix. The room is measured by a ResizeObserver after the browser's own
// layout, never during a step: asking for a size while a step's changes are
// pending would force an extra layout of the whole page.
import { MATRIX_DISPLAYS } from "../matrix-display.js";
import { matrixDisplayKey } from "../presentation.js";

const MAX_ROWS = 16; // rows of numbers a matrix may take before it is elided
const LINE_INSET = 18; // an equation line's padding and border, both sides (app.css .eq-line)
const TABLE_INSET = 52; // a table's row labels, bracket and margins
const HEATMAP_INSET = 56; // a heatmap's row labels, bracket and margins
const WIDTH_STEP = 24; // px: narrower changes (a scrollbar coming and going) do not redraw

/**
 * Mount on the equation card `root`. `onChange()` redraws the equation (the
 * choice or the room changed). Returns {options()}: what renderMatrix needs,
 * {choice, room}.
 */
export function mountMatrixDisplay(root, store, actions, onChange) {
  const select = root.querySelector("[data-control='matrices']");
  const body = root.querySelector("[data-equation-body]");
  // one dense cell of the current digits: its size is a column's width in this
  // panel, whatever the type size (presentation mode, a larger screen)
  const probe = document.createElement("table");
  probe.className = "matrix matrix--dense matrix-probe";
  probe.setAttribute("aria-hidden", "true");
  const probeCell = probe.insertRow().insertCell();
  root.append(probe);

  let room = null;
  function measure() {
    const line = Math.floor((body.clientWidth - LINE_INSET) / WIDTH_STEP) * WIDTH_STEP;
    const cell = probeCell.getBoundingClientRect().width + 2; // + the border spacing
    return {
      maxRows: MAX_ROWS,
      maxCols: Math.max(2, Math.floor((line - TABLE_INSET) / cell)),
      // a heatmap takes at most the line's width and 30% of the screen's height
      heatmap: { width: line - HEATMAP_INSET, height: Math.min(320, Math.max(160, Math.round(0.3 * window.innerHeight))) },
    };
  }
  const same = (a, b) =>
    a && b && a.maxCols === b.maxCols && a.heatmap.width === b.heatmap.width && a.heatmap.height === b.heatmap.height;
  function remeasure() {
    // zoomed, the equation keeps the look it had and only grows (views/present.js)
    if (store.state.zoom || !body.isConnected) return;
    const next = measure();
    if (same(next, room)) return;
    room = next;
    if (store.state.session) onChange();
  }
  const observer = new ResizeObserver(remeasure);
  observer.observe(body);
  observer.observe(probeCell);
  window.addEventListener("resize", remeasure); // the height of the screen, for heatmaps

  const writeProbe = () => {
    probeCell.textContent = `+0.${"0".repeat(store.state.digits)}`;
  };
  writeProbe();
  select.replaceChildren(...MATRIX_DISPLAYS.map((mode) => new Option(mode, mode)));
  select.addEventListener("change", () => actions.setMatrixDisplay(select.value));
  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("digits")) writeProbe();
    if (k.includes("matrixDisplay")) {
      select.value = store.state.matrixDisplay;
      if (store.state.session) onChange();
    }
  });
  let saved = null;
  try {
    saved = localStorage.getItem(matrixDisplayKey(location.pathname));
  } catch {
    saved = null;
  }
  if (MATRIX_DISPLAYS.includes(saved)) actions.setMatrixDisplay(saved);
  select.value = store.state.matrixDisplay;

  return {
    options: () => ({ choice: store.state.matrixDisplay, room: (room ??= measure()) }),
  };
}
