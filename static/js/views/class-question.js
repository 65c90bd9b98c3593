// A follower's class question (/class/{code}): the instructor's prompt, the
// options as large buttons (or a number field), the follower's answer, and
// after the reveal the right one. Renders store.state.classQuestion; answering
// calls actions.answer(value).
import { formatNumber } from "../format.js";

/** What the right answer says on screen: an option's label, or the number to 6 digits. */
function shown(question, value) {
  if (value === null || value === undefined) return "";
  if (question.kind === "number") return typeof value === "number" ? formatNumber(value, 6) : String(value);
  return question.options.find((o) => o.key === value)?.label ?? String(value);
}

/** The follower's own answer: an option's label, or its number as the field holds it. */
function yoursShown(question, value) {
  if (question.kind === "number" && typeof value === "number") return String(value).replaceAll("-", "\u2212");
  return shown(question, value);
}

function statusText(held) {
  const { question, mine, answer, error } = held;
  if (error) return error;
  const given = mine !== null && mine !== undefined;
  const yours = given ? `Your answer: ${yoursShown(question, mine)}.` : "";
  if (question.revealed && answer !== undefined && answer !== null) {
    return `The answer: ${shown(question, answer)}. ${yours}`.trim();
  }
  if (!question.open) return `${yours} The round is closed: wait for the instructor.`.trim();
  if (!given) return "Choose your answer; you can change it until the round closes.";
  return `Your answer: ${yoursShown(question, mine)} — received. You can change it until the round closes.`;
}

export function mountClassQuestion(section, store, actions) {
  const round = section.querySelector("[data-question-round]");
  const prompt = section.querySelector("[data-question-prompt]");
  const options = section.querySelector("[data-question-options]");
  const form = section.querySelector("[data-question-number]");
  const input = section.querySelector("[data-question-value]");
  const status = section.querySelector("[data-question-status]");
  let drawnFor = null; // the question and round whose option buttons are drawn
  let filledWith = null; // the answer last written into the number field

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const value = Number(input.value.trim().replace(",", ".").replace("−", "-"));
    if (input.value.trim() === "" || !Number.isFinite(value)) {
      actions.answerProblem("Type a number, such as 0.25 or -1.5e-3.");
      return;
    }
    actions.answer(value);
  });

  function drawOptions(question) {
    options.replaceChildren(
      ...question.options.map((o) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "class-question__option";
        button.dataset.key = o.key;
        button.textContent = o.label;
        button.addEventListener("click", () => actions.answer(o.key));
        return button;
      }),
    );
  }

  function render() {
    const held = store.state.classQuestion;
    section.hidden = !held;
    if (!held) return;
    const { question, mine } = held;
    const id = `${question.question_id}:${question.round}`;
    if (drawnFor !== id) {
      drawnFor = id;
      drawOptions(question);
      input.value = "";
      filledWith = null;
    }
    // the number given (read back after a reload too), unless the field is being typed in
    const typed = typeof mine === "number" ? String(mine) : null;
    if (typed !== filledWith && document.activeElement !== input) {
      input.value = typed ?? "";
      filledWith = typed;
    }
    round.textContent = question.round > 1 ? `· round ${question.round}` : "";
    prompt.textContent = question.prompt;
    const closed = !question.open || question.revealed;
    const isNumber = question.kind === "number";
    form.hidden = !isNumber;
    options.hidden = isNumber;
    input.disabled = closed;
    form.querySelector("button").disabled = closed;
    for (const button of options.querySelectorAll("button")) {
      button.disabled = closed;
      button.setAttribute("aria-pressed", String(button.dataset.key === mine));
      button.dataset.right = String(question.revealed && button.dataset.key === held.answer);
    }
    status.textContent = statusText(held);
  }

  store.addEventListener("change", (e) => {
    if (e.detail.keys.includes("classQuestion")) render();
  });
  render();
}
