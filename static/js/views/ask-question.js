// The live-class panel's questions: ask the class about the coming step, see the
// count live, close, vote again, reveal; each round's answers as bars side by side
// (options, or a histogram for numbers with the known mistakes named). Renders
// store.state.askedQuestion and questionError; buttons call the question actions.
import { formatNumber } from "../format.js";
import { answersText, numberGroups, roundBars } from "../class-question.js";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function barList(bars) {
  const list = el("ul", "question-bars");
  for (const bar of bars) {
    const item = el("li", "question-bars__item");
    item.dataset.right = String(bar.right);
    const label = el("span", "question-bars__label", bar.label);
    const track = el("span", "question-bars__track");
    const fill = el("span", "question-bars__fill");
    fill.style.width = `${(bar.share * 100).toFixed(1)}%`;
    track.append(fill);
    const count = el("span", "question-bars__count", String(bar.count));
    item.append(label, track, count);
    if (bar.note) item.append(el("span", "question-bars__note", bar.note));
    list.append(item);
  }
  return list;
}

function groupList(distribution) {
  const list = el("ul", "question-groups");
  for (const g of numberGroups(distribution)) {
    const value = g.value === null ? "" : ` (${formatNumber(g.value, 4)})`;
    const item = el("li", g.mistake ? "question-groups__mistake" : "", `${g.name}${value}: ${g.count}`);
    if (g.words) item.append(el("span", "muted", ` — ${g.words}`));
    list.append(item);
  }
  return list;
}

function roundPanel(round) {
  const panel = el("section", "question-round");
  panel.dataset.round = String(round.round);
  panel.append(el("h4", "", `Round ${round.round} · ${answersText(round.answers)}`));
  const bars = roundBars(round.distribution);
  panel.append(bars.length ? barList(bars) : el("p", "muted", "Nobody answered in this round."));
  if (round.distribution.groups) panel.append(groupList(round.distribution));
  return panel;
}

function answerText(result) {
  const q = result.question;
  if (q.kind === "number") return formatNumber(result.answer, 6);
  const label = q.options.find((o) => o.key === result.answer)?.label ?? result.answer;
  if (q.kind !== "cost_direction") return label;
  return `${label} (C ${formatNumber(result.cost_before, 6)} → ${formatNumber(result.cost_after, 6)})`;
}

export function mountAskQuestion(section, store, actions) {
  const form = section.querySelector("[data-ask-form]");
  const kind = section.querySelector("[data-ask-kind]");
  const row = section.querySelector("[data-ask-row]");
  const column = section.querySelector("[data-ask-column]");
  const asked = section.querySelector("[data-asked]");
  const prompt = section.querySelector("[data-asked-prompt]");
  const count = section.querySelector("[data-asked-count]");
  const rounds = section.querySelector("[data-asked-rounds]");
  const answer = section.querySelector("[data-asked-answer]");
  const csv = section.querySelector("[data-questions-csv]");
  const error = section.querySelector("[data-question-error]");
  const buttons = {
    close: section.querySelector("[data-action='close-question']"),
    revote: section.querySelector("[data-action='revote-question']"),
    reveal: section.querySelector("[data-action='reveal-question']"),
  };

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    actions.ask(kind.value, [Number(row.value) || 0, Number(column.value) || 0]);
  });
  for (const [name, button] of Object.entries(buttons)) button.addEventListener("click", () => actions[name]());
  const entryKinds = new Set(["number", "sign", "choice"]);
  kind.addEventListener("change", () => {
    for (const input of [row, column]) input.closest("label").hidden = !entryKinds.has(kind.value);
  });

  function render() {
    const result = store.state.askedQuestion;
    asked.hidden = !result;
    if (result) {
      const q = result.question;
      prompt.textContent = q.prompt;
      count.textContent = `${answersText(result.answers)}${result.open ? ` · round ${result.round} open` : ` · round ${result.round} closed`}`;
      buttons.close.disabled = !result.open;
      buttons.reveal.disabled = result.revealed;
      buttons.revote.disabled = result.round >= 3;
      // The distribution shows once a round closes: counts alone while the room answers.
      const shown = result.rounds.filter((r) => r.round < result.round || !result.open);
      rounds.replaceChildren(...shown.map((r) => roundPanel(r)));
      answer.hidden = !result.revealed;
      answer.textContent = result.revealed ? `The answer: ${answerText(result)}` : "";
      const url = actions.csvUrl();
      if (url) csv.href = url;
    }
    const message = store.state.questionError;
    error.textContent = message ?? "";
    error.hidden = !message;
  }

  store.addEventListener("change", (e) => {
    const keys = e.detail.keys;
    if (keys.includes("askedQuestion") || keys.includes("questionError")) render();
  });
  render();
}
