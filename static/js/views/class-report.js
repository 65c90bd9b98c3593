// How the network sorts the data into classes (GET …/predictions), for every
// session whose targets are classes: the confusion matrix, each class's accuracy
// and, for data that are not pictures, the first misclassified samples. With more
// than 2 inputs the decision boundary cannot be drawn, so this card also shows the
// samples in their principal plane coloured by the network's prediction (its value,
// for regression) — never an empty card. Every number comes from the API.
import { classHeading, classNames, classPhrase } from "../class-names.js";
import { cellColour, formatNumber } from "../format.js";
import { imageSide, mistakeLabel, reportPart, valueRange } from "../images.js";

// Okabe–Ito: distinguishable with every common colour-vision deficiency.
const CLASS_COLOURS = ["#e69f00", "#0072b2", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"];
const INK = "#1b2333";
const SHOWN_MISTAKES = 12;
const pct = (v) => (v === null || v === undefined ? "–" : `${(100 * v).toFixed(1)}%`);

function cell(tag, text, attrs = {}) {
  const el = document.createElement(tag);
  el.textContent = text;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

function confusionTable(confusion, part, names) {
  const k = confusion.length;
  const table = document.createElement("table");
  table.className = "confusion";
  table.dataset.confusion = part;
  table.append(cell("caption", `Confusion matrix (${part} samples): rows are the true class, columns the network's`));
  const head = document.createElement("tr");
  head.append(cell("th", "true ╲ predicted", { scope: "col" }));
  for (let j = 0; j < k; j += 1) head.append(cell("th", classHeading(names, j), { scope: "col" }));
  table.append(cell("thead", ""));
  table.tHead.append(head);
  const body = document.createElement("tbody");
  confusion.forEach((row, i) => {
    const tr = document.createElement("tr");
    tr.append(cell("th", classHeading(names, i), { scope: "row" }));
    const total = row.reduce((a, n) => a + n, 0);
    row.forEach((n, j) => {
      const td = cell("td", String(n), { "data-row": String(i), "data-col": String(j) });
      if (n > 0 && total > 0) {
        const share = n / total; // shading only: the count is the server's
        td.style.background = i === j ? `rgba(0, 114, 178, ${0.12 + 0.5 * share})` : `rgba(213, 94, 0, ${0.15 + 0.55 * share})`;
      }
      if (i === j) td.classList.add("confusion__right");
      tr.append(td);
    });
    body.append(tr);
  });
  table.append(body);
  return table;
}

/** Each class's accuracy; `keyed`: a swatch of its colour in the projection, as its legend. */
function perClassList(accuracies, counts, names, keyed) {
  const list = document.createElement("ul");
  list.className = "per-class";
  list.dataset.perClass = "";
  accuracies.forEach((acc, i) => {
    const li = document.createElement("li");
    const bar = document.createElement("span");
    bar.className = "per-class__bar";
    bar.style.setProperty("--share", String(acc ?? 0));
    const name = cell("span", classPhrase(names, i), { class: "per-class__name" });
    if (keyed) {
      const swatch = cell("span", "", { class: "per-class__swatch", "aria-hidden": "true" });
      swatch.style.background = CLASS_COLOURS[i % CLASS_COLOURS.length];
      name.prepend(swatch);
    }
    li.append(name, bar, cell("span", `${pct(acc)} of ${counts[i]}`, { "data-class-accuracy": String(i) }));
    list.append(li);
  });
  return list;
}

export function mountClassReport(root, store) {
  const canvas = root.querySelector("[data-projection]");
  const projCaption = root.querySelector("[data-projection-caption]");
  const tables = root.querySelector("[data-class-tables]");
  const mistakes = root.querySelector("[data-mistakes]");
  const ctx = canvas.getContext("2d");

  function drawProjection(predictions) {
    const S = canvas.width;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, S, S);
    const parts = [["train", predictions.train], ["test", predictions.test]].filter(([, p]) => p?.projection);
    const xs = parts.flatMap(([, p]) => p.projection.map((q) => q[0]));
    const ys = parts.flatMap(([, p]) => p.projection.map((q) => q[1] ?? 0));
    const [xlo, xhi] = valueRange(xs);
    const [ylo, yhi] = valueRange(ys);
    const pad = 0.06 * S;
    const X = (x) => pad + ((x - xlo) / (xhi - xlo || 1)) * (S - 2 * pad);
    const Y = (y) => S - pad - ((y - ylo) / (yhi - ylo || 1)) * (S - 2 * pad);
    const regression = predictions.task === "regression";
    const range = regression ? Math.max(...valueRange(parts.flatMap(([, p]) => p.predicted)).map(Math.abs)) : 0;
    const r = Math.max(2, S / 120);
    for (const [name, p] of parts) {
      p.projection.forEach((q, n) => {
        const v = p.predicted[n];
        const colour = regression ? cellColour(v, range) : CLASS_COLOURS[v % CLASS_COLOURS.length];
        ctx.beginPath();
        ctx.arc(X(q[0]), Y(q[1] ?? 0), name === "train" ? r : r * 1.3, 0, 2 * Math.PI);
        if (name === "train") {
          ctx.fillStyle = colour;
          ctx.fill();
        } else {
          ctx.lineWidth = 2;
          ctx.strokeStyle = colour;
          ctx.stroke();
        }
        if (!regression && v !== p.actual[n]) {
          // a mistake: a dark cross over the sample
          ctx.strokeStyle = INK;
          ctx.lineWidth = 1.2;
          ctx.beginPath();
          ctx.moveTo(X(q[0]) - r, Y(q[1] ?? 0) - r);
          ctx.lineTo(X(q[0]) + r, Y(q[1] ?? 0) + r);
          ctx.moveTo(X(q[0]) + r, Y(q[1] ?? 0) - r);
          ctx.lineTo(X(q[0]) - r, Y(q[1] ?? 0) + r);
          ctx.stroke();
        }
      });
    }
    const shares = predictions.plane.explained.map((e) => `${(100 * e).toFixed(0)}%`).join(" and ");
    canvas.setAttribute("aria-label", `The samples in their inputs' principal plane at iteration ${predictions.iteration}, coloured by the network's prediction`);
    projCaption.textContent = regression
      ? `The samples over their inputs' two principal directions (${shares} of the spread), coloured by the network's output: red low, blue high. Dots: training samples; rings: test samples.`
      : `The samples over their inputs' two principal directions (${shares} of the spread), coloured by the class the network gives them; × marks a mistake. Dots: training samples; rings: test samples.`;
  }

  function renderMistakes(part, names) {
    const p = part.prediction;
    if (!p.misclassified || !part.rows) {
      mistakes.replaceChildren();
      return;
    }
    const items = p.misclassified.slice(0, SHOWN_MISTAKES).map((n) => {
      const x = part.rows.inputs[n].map((v) => formatNumber(v, 3)).join(", ");
      const label = names ? mistakeLabel(names[p.actual[n]], names[p.predicted[n]]) : `class ${mistakeLabel(p.actual[n], p.predicted[n])}`;
      return cell("li", `sample ${n} (${x}): ${label}`);
    });
    const head = cell("p", p.misclassified.length === 0 ? `No ${part.name} sample is misclassified.` : `Misclassified ${part.name} samples: ${p.misclassified.length}${p.misclassified.length > SHOWN_MISTAKES ? ` (the first ${SHOWN_MISTAKES})` : ""}`, { class: "caption" });
    const list = document.createElement("ul");
    list.className = "mistakes";
    list.append(...items);
    mistakes.replaceChildren(head, list);
  }

  function render() {
    const { session, predictions, sessionData } = store.state;
    if (!session || !predictions || predictions.id !== session.id) {
      root.hidden = true;
      return;
    }
    const n0 = session.network.layers[0];
    const many = n0 > 2;
    const classes = predictions.task === "classification";
    root.hidden = !(classes || many);
    if (root.hidden) return;
    root.dataset.predictedIteration = String(predictions.iteration); // (data-iteration is the timeline's)
    canvas.hidden = !many || !predictions.plane;
    projCaption.hidden = canvas.hidden;
    if (!canvas.hidden) drawProjection(predictions);
    const data = sessionData?.id === session.id ? sessionData : null;
    const part = reportPart(predictions, data);
    if (!classes || !part.prediction) {
      tables.replaceChildren();
      mistakes.replaceChildren();
      return;
    }
    const counts = part.prediction.confusion.map((row) => row.reduce((a, n) => a + n, 0));
    const names = classNames(session.config, counts.length); // a CSV's labels, else numbers
    // the projection, and the boundary of 3 or more classes, colour samples by class
    const keyed = !canvas.hidden || (n0 === 2 && counts.length > 2);
    tables.replaceChildren(confusionTable(part.prediction.confusion, part.name, names), perClassList(part.prediction.per_class_accuracy, counts, names, keyed));
    if (imageSide(n0)) mistakes.replaceChildren(); // the images card shows them as pictures
    else renderMistakes(part, names);
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("predictions") || k.includes("sessionData") || k.includes("session")) render();
  });
}
