// Renders one operand of an equation as a bracketed, labelled <table>.
// Values go in with textContent; full precision sits in data-value and title.
import { cellColour, formatNumber, fullPrecision, needsLightText, shapeText } from "../format.js";

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
  const colWord = term.cols === "samples" ? "columns are samples" : "columns are indices k";
  caption.textContent = `${term.text}, ${shapeText(term.shape)}; ${term.rows === "samples" ? "rows are samples" : "rows are indices j"}, ${term.vector ? "a vector" : colWord}`;
  table.append(caption);

  const rows = term.data.length;
  const cols = rows ? term.data[0].length : 0;
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
      const name = term.vector ? term.name(r) : term.name(r, c);
      td.title = `${name} = ${fullPrecision(v)}`;
      td.textContent = formatNumber(v, digits);
      td.style.backgroundColor = cellColour(v, range, term.scale);
      if (needsLightText(v, range)) td.classList.add("light");
      const sampleAxis = term.cols === "samples" ? c : term.rows === "samples" ? r : null;
      if (focus !== null && sampleAxis !== null && sampleAxis !== focus) td.classList.add("dim");
      tr.append(td);
    }
    tbody.append(tr);
  }
  table.append(tbody);
  wrap.append(table);
  fig.append(cap, wrap);
  return fig;
}
