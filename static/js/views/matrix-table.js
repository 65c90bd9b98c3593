// Renders one operand of an equation as a bracketed, labelled <table>.
// Values go in with textContent; full precision sits in data-value, and the
// cell's name and full value go into its title when it is first hovered
// (cellTitle), which keeps a step with hundreds of cells fast to render.
import { cellClass, formatNumber, fullPrecision, shapeText } from "../format.js";

/**
 * term: a matrix term from equation.js; opts: {digits, range, focus, label(el, term)}.
 * Returns a <figure data-matrix=… data-role=…>.
 */
export function renderMatrix(term, opts) {
  const { digits, range, focus } = opts;
  const fig = document.createElement("figure");
  fig.className = `operand operand--${term.role}`;
  fig.dataset.matrix = term.key;
  fig.dataset.role = term.role;
  if (term.layer !== undefined) fig.dataset.layer = String(term.layer);

  const cap = document.createElement("figcaption");
  const sym = document.createElement("span");
  sym.className = "operand__symbol";
  if (opts.label) opts.label(sym, term);
  else sym.textContent = term.text;
  sym.dataset.tex = term.tex;
  const shape = document.createElement("span");
  shape.className = "operand__shape";
  shape.dataset.shape = shapeText(term.shape);
  shape.textContent = shapeText(term.shape);
  cap.append(sym, shape);

  const wrap = document.createElement("div");
  wrap.className = "bracket";
  const table = document.createElement("table");
  table.className = "matrix";
  const caption = document.createElement("caption");
  caption.className = "sr-only";
  caption.textContent = captionText(term);
  table.append(caption);

  const rows = term.data.length;
  const cols = rows ? term.data[0].length : 0;
  // Fixed table layout with explicit column widths (from the longest printed
  // number): the browser then lays out a big matrix without measuring every
  // cell's content, several times faster than an auto-sized table.
  const texts = term.data.map((row) => row.map((v) => formatNumber(v, digits)));
  let longest = 1;
  for (const row of texts) for (const t of row) if (t.length > longest) longest = t.length;
  const colgroup = document.createElement("colgroup");
  const headCol = document.createElement("col");
  headCol.className = "matrix__head-col";
  colgroup.append(headCol);
  for (let c = 0; c < cols; c += 1) {
    const col = document.createElement("col");
    col.style.width = `calc(${longest}ch + 0.75rem)`;
    colgroup.append(col);
  }
  table.append(colgroup);
  table.style.width = `calc(1.9rem + ${cols} * (${longest}ch + 0.75rem) + ${(cols + 2) * 2}px)`;
  table.dataset.longest = String(longest);
  const thead = document.createElement("thead");
  const hr = document.createElement("tr");
  const corner = document.createElement("th");
  corner.scope = "col";
  corner.className = "corner";
  corner.innerHTML = '<span class="sr-only">row</span>';
  hr.append(corner);
  for (let c = 0; c < cols; c += 1) {
    const th = document.createElement("th");
    th.scope = "col";
    if (term.vector) th.textContent = "";
    else if (term.cols === "samples") {
      th.textContent = `s${c}`;
      th.title = `sample ${c} of the batch`;
    } else th.textContent = String(c);
    if (term.cols === "samples" && focus !== null && c !== focus) th.classList.add("dim");
    hr.append(th);
  }
  thead.append(hr);
  table.append(thead);

  const tbody = document.createElement("tbody");
  for (let r = 0; r < rows; r += 1) {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = term.rows === "samples" ? `s${r}` : String(r);
    tr.append(th);
    for (let c = 0; c < cols; c += 1) {
      const v = term.data[r][c];
      const td = document.createElement("td");
      td.dataset.row = String(r);
      td.dataset.col = String(c);
      td.dataset.value = fullPrecision(v);
      td.textContent = texts[r][c];
      const sampleAxis = term.cols === "samples" ? c : term.rows === "samples" ? r : null;
      const dim = focus !== null && sampleAxis !== null && sampleAxis !== focus;
      td.className = dim ? `${cellClass(v, range, term.scale)} dim` : cellClass(v, range, term.scale);
      tr.append(td);
    }
    tbody.append(tr);
  }
  table.append(tbody);
  wrap.append(table);
  fig.append(cap, wrap);
  fig.dataset.signature = matrixSignature(term);
  return fig;
}

/** The tooltip of a cell: its name after its source and its full value. */
export function cellTitle(term, td) {
  const r = Number(td.dataset.row);
  const c = Number(td.dataset.col);
  const name = term.vector ? term.name(r) : term.name(r, c);
  return `${name} = ${td.dataset.value}`;
}

/** A matrix's shape signature: tables with the same one can be updated in place. */
export function matrixSignature(term) {
  const rows = term.data.length;
  const cols = rows ? term.data[0].length : 0;
  return `${rows}x${cols}${term.vector ? "v" : ""}${term.cols}${term.rows}`;
}

/**
 * Update a figure made by renderMatrix for a term of the same signature, writing
 * only what changed (text, colour class, full value). Much cheaper than new
 * elements: no new boxes, no style matching for hundreds of fresh cells.
 */
export function updateMatrix(fig, term, opts) {
  const { digits, range, focus } = opts;
  fig.className = `operand operand--${term.role}`;
  fig.dataset.matrix = term.key;
  fig.dataset.role = term.role;
  if (term.layer !== undefined) fig.dataset.layer = String(term.layer);
  else delete fig.dataset.layer;
  const sym = fig.querySelector(".operand__symbol");
  if (sym.dataset.tex !== term.tex) {
    if (opts.label) opts.label(sym, term);
    else sym.textContent = term.text;
    sym.dataset.tex = term.tex;
  }
  const shape = fig.querySelector(".operand__shape");
  const shapeStr = shapeText(term.shape);
  if (shape.textContent !== shapeStr) {
    shape.textContent = shapeStr;
    shape.dataset.shape = shapeStr;
  }
  const table = fig.querySelector("table");
  const texts = term.data.map((row) => row.map((v) => formatNumber(v, digits)));
  let longest = 1;
  for (const row of texts) for (const t of row) if (t.length > longest) longest = t.length;
  const cols = term.data.length ? term.data[0].length : 0;
  if (table.dataset.longest !== String(longest)) {
    table.dataset.longest = String(longest);
    for (const col of table.querySelectorAll("col:not(.matrix__head-col)")) {
      col.style.width = `calc(${longest}ch + 0.75rem)`;
    }
    table.style.width = `calc(1.9rem + ${cols} * (${longest}ch + 0.75rem) + ${(cols + 2) * 2}px)`;
  }
  table.querySelector("caption").textContent = captionText(term);
  const heads = table.tHead.rows[0].cells;
  for (let c = 0; c < cols; c += 1) {
    const dim = term.cols === "samples" && focus !== null && c !== focus;
    if (heads[c + 1].classList.contains("dim") !== dim) heads[c + 1].classList.toggle("dim", dim);
  }
  const bodyRows = table.tBodies[0].rows;
  for (let r = 0; r < term.data.length; r += 1) {
    const cells = bodyRows[r].cells;
    for (let c = 0; c < cols; c += 1) {
      const td = cells[c + 1];
      const v = term.data[r][c];
      const text = texts[r][c];
      if (td.firstChild.nodeValue !== text) td.firstChild.nodeValue = text;
      const full = fullPrecision(v);
      if (td.dataset.value !== full) {
        td.dataset.value = full;
        td.removeAttribute("title"); // written again on hover
      }
      const sampleAxis = term.cols === "samples" ? c : term.rows === "samples" ? r : null;
      const dim = focus !== null && sampleAxis !== null && sampleAxis !== focus;
      const cls = dim ? `${cellClass(v, range, term.scale)} dim` : cellClass(v, range, term.scale);
      if (td.className !== cls) td.className = cls;
    }
  }
  fig.dataset.signature = matrixSignature(term);
}

function captionText(term) {
  const colWord = term.cols === "samples" ? "columns are samples" : "columns are indices k";
  return `${term.text}, ${shapeText(term.shape)}; ${term.rows === "samples" ? "rows are samples" : "rows are indices j"}, ${term.vector ? "a vector" : colWord}`;
}
