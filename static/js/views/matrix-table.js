// Renders one operand of an equation as a bracketed, labelled <table>.
// Values go in with textContent; full precision sits in data-value, and the
// cell's name and full value go into its title when it is first hovered
// (cellTitle), which keeps a step with hundreds of cells fast to render.
//
// Speed: an empty table of each shape is built once and cloned (cloneNode is
// native and much faster than creating every cell), then filled in by
// updateMatrix, which also updates a shown table in place when the next step
// has a matrix of the same shape there. Tables use a fixed layout with column
// widths from the longest printed number, so the browser does not measure
// every cell.
import { cellClass, formatNumber, fullPrecision, shapeText } from "../format.js";

/** A matrix's shape signature: tables with the same one can be updated in place. */
export function matrixSignature(term) {
  const rows = term.data.length;
  const cols = rows ? term.data[0].length : 0;
  return `${rows}x${cols}${term.vector ? "v" : ""}${term.cols}${term.rows}`;
}

const skeletons = new Map();

function skeleton(term) {
  const sig = matrixSignature(term);
  let proto = skeletons.get(sig);
  if (proto) return proto.cloneNode(true);
  const rows = term.data.length;
  const cols = rows ? term.data[0].length : 0;
  const fig = document.createElement("figure");
  const cap = document.createElement("figcaption");
  const sym = document.createElement("span");
  sym.className = "operand__symbol";
  const shape = document.createElement("span");
  shape.className = "operand__shape";
  cap.append(sym, shape);
  const wrap = document.createElement("div");
  wrap.className = "bracket";
  const table = document.createElement("table");
  // wide matrices (16 neurons, big batches) use smaller type to fit the line
  table.className = cols >= 10 ? "matrix matrix--dense" : "matrix";
  const caption = document.createElement("caption");
  caption.className = "sr-only";
  const colgroup = document.createElement("colgroup");
  const headCol = document.createElement("col");
  headCol.className = "matrix__head-col";
  colgroup.append(headCol);
  for (let c = 0; c < cols; c += 1) colgroup.append(document.createElement("col"));
  const thead = document.createElement("thead");
  const hr = document.createElement("tr");
  const corner = document.createElement("th");
  corner.scope = "col";
  corner.className = "corner";
  const cornerText = document.createElement("span");
  cornerText.className = "sr-only";
  cornerText.textContent = "row";
  corner.append(cornerText);
  hr.append(corner);
  for (let c = 0; c < cols; c += 1) {
    const th = document.createElement("th");
    th.scope = "col";
    if (!term.vector && term.cols === "samples") {
      th.textContent = `s${c}`;
      th.title = `sample ${c} of the batch`;
    } else if (!term.vector) th.textContent = String(c);
    hr.append(th);
  }
  thead.append(hr);
  const tbody = document.createElement("tbody");
  for (let r = 0; r < rows; r += 1) {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = term.rows === "samples" ? `s${r}` : String(r);
    tr.append(th);
    for (let c = 0; c < cols; c += 1) {
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
  fig.append(cap, wrap);
  fig.dataset.signature = sig;
  skeletons.set(sig, fig);
  return fig.cloneNode(true);
}

/**
 * term: a matrix term from equation.js; opts: {digits, range, focus, label(el, term)}.
 * Returns a <figure data-matrix=… data-role=…>.
 */
export function renderMatrix(term, opts) {
  const fig = skeleton(term);
  updateMatrix(fig, term, opts);
  return fig;
}

function captionText(term) {
  const colWord = term.cols === "samples" ? "columns are samples" : "columns are indices k";
  const rowWord = term.rows === "samples" ? "rows are samples" : "rows are indices j";
  return `${term.text}, ${shapeText(term.shape)}; ${rowWord}, ${term.vector ? "a vector" : colWord}`;
}

/**
 * Fill in (or update) a figure made for a term of the same signature, writing
 * only what changed: label, shape, text, colour class, full value.
 */
export function updateMatrix(fig, term, opts) {
  const { digits, range, focus } = opts;
  const figClass = `operand operand--${term.role}`;
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
  const table = fig.querySelector("table");
  // every table can be explored from the keyboard (arrow keys) and its cells
  // opened (Enter), so no value needs a hover (see views/equation.js)
  if (table.tabIndex !== 0) table.tabIndex = 0;
  const texts = term.data.map((row) => row.map((v) => formatNumber(v, digits)));
  let longest = 1;
  for (const row of texts) for (const t of row) if (t.length > longest) longest = t.length;
  const cols = term.data.length ? term.data[0].length : 0;
  if (table.dataset.longest !== String(longest)) {
    table.dataset.longest = String(longest);
    const pad = cols >= 10 ? "0.4rem" : "0.75rem";
    for (const col of table.querySelectorAll("col:not(.matrix__head-col)")) {
      col.style.width = `calc(${longest}ch + ${pad})`;
    }
    table.style.width = `calc(1.9rem + ${cols} * (${longest}ch + ${pad}) + ${(cols + 2) * 2}px)`;
  }
  const caption = table.caption;
  const captionStr = captionText(term);
  if (caption.textContent !== captionStr) caption.textContent = captionStr;
  const heads = table.tHead.rows[0].cells;
  for (let c = 0; c < cols; c += 1) {
    const dim = term.cols === "samples" && focus !== null && c !== focus;
    if (heads[c + 1].classList.contains("dim") !== dim) heads[c + 1].classList.toggle("dim", dim);
  }
  const bodyRows = table.tBodies[0].rows;
  for (let r = 0; r < term.data.length; r += 1) {
    const cells = bodyRows[r].cells;
    const headCell = cells[0];
    const rowDim = term.rows === "samples" && focus !== null && r !== focus;
    if (headCell.classList.contains("dim") !== rowDim) headCell.classList.toggle("dim", rowDim);
    for (let c = 0; c < cols; c += 1) {
      const td = cells[c + 1];
      const v = term.data[r][c];
      const text = texts[r][c];
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
    }
  }
}

/** The tooltip of a cell: its name after its source and its full value. */
export function cellTitle(term, td) {
  const r = Number(td.dataset.row);
  const c = Number(td.dataset.col);
  const name = term.vector ? term.name(r) : term.name(r, c);
  return `${name} = ${td.dataset.value}`;
}
