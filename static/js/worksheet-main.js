// Wires /worksheet?seed=N: the problem POST /api/v1/exercises draws from the seed, its
// results as empty boxes, and on a page of its own (the print stylesheet) the answer
// key, from POST /api/v1/backprop on the same problem. Every number is the API's.
import { ApiError, api } from "./api.js";
import { formatNumber, fullPrecision } from "./format.js";
import { PHASE_TITLES } from "./phases.js";
import { givenMatrices, givenNumber, problemIntro, worksheetResults } from "./worksheet.js";

const root = document.querySelector("[data-view='worksheet']");
const $ = (selector) => root.querySelector(selector);

function table(label, data, cell) {
  const figure = document.createElement("figure");
  figure.className = "ws-matrix";
  figure.dataset.label = label;
  const caption = document.createElement("figcaption");
  caption.textContent = `${label} (${data.length}×${data[0].length})`;
  const t = document.createElement("table");
  const body = t.createTBody();
  data.forEach((row, r) => {
    const tr = body.insertRow();
    row.forEach((value, c) => {
      const td = tr.insertCell();
      cell(td, value, r, c);
    });
  });
  figure.append(caption, t);
  return figure;
}

/** The results grouped by phase, each under its title; `cell` fills (or leaves empty) each box. */
function results(list, cell) {
  const groups = [];
  for (const item of list) {
    let group = groups[groups.length - 1];
    if (!group || group.dataset.phase !== item.phase) {
      group = document.createElement("div");
      group.className = "ws-phase";
      group.dataset.phase = item.phase;
      const h = document.createElement("h3");
      h.textContent = PHASE_TITLES[item.phase];
      const row = document.createElement("div");
      row.className = "ws-phase__row";
      group.append(h, row);
      groups.push(group);
    }
    group.lastElementChild.append(table(item.label, item.data, cell));
  }
  return groups;
}

async function show() {
  const seed = Number(root.dataset.seed);
  const status = $("[data-worksheet-status]");
  try {
    const problem = await api.exercise({ seed });
    const { seed: _, ...body } = problem;
    const trace = await api.backprop(body);
    $("[data-worksheet-intro]").textContent = problemIntro(problem);
    $("[data-worksheet-given]").replaceChildren(
      ...givenMatrices(problem).map((g) => table(g.label, g.data, (td, v) => (td.textContent = givenNumber(v)))),
    );
    const steps = worksheetResults(trace);
    $("[data-worksheet-tasks]").replaceChildren(...results(steps, (td) => td.classList.add("ws-blank")));
    $("[data-worksheet-answers]").replaceChildren(
      ...results(steps, (td, v) => {
        td.textContent = formatNumber(v, 4);
        td.dataset.value = fullPrecision(v);
      }),
    );
    const cost = $("[data-worksheet-cost]");
    cost.textContent = `Cost before the update: C = ${formatNumber(trace.cost, 6)}.`;
    cost.dataset.value = fullPrecision(trace.cost);
    $("[data-worksheet-problem]").hidden = false;
    $("[data-worksheet-key]").hidden = false;
    status.textContent = `Problem ${seed}: print it, or save it as a PDF; the answer key starts on a new page.`;
    document.body.dataset.ready = "true";
  } catch (err) {
    status.textContent = err instanceof ApiError ? err.message : `Unexpected problem: ${err.message}`;
    status.dataset.kind = "error";
  }
}

document.querySelector("[data-action='print']").addEventListener("click", () => window.print());
show();
