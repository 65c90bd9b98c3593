// Practice mode's panel in the equation card: the current step's results as boxes to
// type into, Check (Enter) and Reveal, each entry marked with the API's verdict, the
// mistakes named in words with the formula the learner used beside the right one, a
// hint that opens an entry's expansion, the iteration's tally, and the lesson's text.
// While a step asks, the page hides its result (body[data-practice="ask"], and the
// result matrices named in data-practice-mask: see arithmetic.css).
import katex from "katex";
import { LAST_LEVEL, LESSON_TEXT, entryAt, entryLabel, lessonNote } from "../practice.js";
import { PHASE_TITLES } from "../phases.js";
import { resultKey } from "../practice.js";
import { formatNumber, shapeText } from "../format.js";

const VERDICT_TEXT = { correct: "✓ right", wrong: "✗ wrong", skipped: "– not answered" };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

function tex(source) {
  const span = el("span", { class: "practice__formula" });
  span.innerHTML = katex.renderToString(source, { throwOnError: false, output: "htmlAndMathml" });
  return span;
}

export function mountPractice(root, store, actions) {
  const status = root.parentElement.querySelector("[data-practice-status]");
  let shownKey = null; // the record (and its state) the panel shows, to rebuild only on change

  const stepKey = (s) => `${s.id}:${s.cursor.iteration}:${s.cursor.index}`;

  function typedValues() {
    const typed = {};
    for (const input of root.querySelectorAll("input[data-part]")) {
      (typed[input.dataset.part] ??= {})[input.dataset.index] = input.value;
    }
    return typed;
  }

  function entryInput(record, p, index, response) {
    const id = index.join(",");
    const name = entryLabel(p.label, index);
    const input = el("input", {
      type: "text",
      inputmode: "decimal",
      autocomplete: "off",
      spellcheck: "false",
      enterkeyhint: "done",
      "aria-label": name,
      "data-part": p.part,
      "data-index": id,
    });
    input.value = record.values?.[p.part]?.[id] ?? "";
    const cell = el("span", { class: "practice__entry" }, input);
    const error = record.errors?.[`${p.part}:${id}`];
    if (error) {
      input.setAttribute("aria-invalid", "true");
      cell.dataset.verdict = "invalid";
    }
    if (response) {
      const entry = entryAt(response, index);
      cell.dataset.verdict = entry.verdict;
      const mark = el("span", { class: "practice__mark", "data-mark": entry.verdict, text: VERDICT_TEXT[entry.verdict] });
      mark.id = `practice-${p.part}-${index.join("-")}`;
      input.setAttribute("aria-describedby", mark.id);
      cell.append(mark);
      if (record.status === "revealed" && entry.verdict !== "correct") {
        cell.append(el("span", { class: "practice__expected", "data-expected": String(entry.expected), text: `= ${formatNumber(entry.expected)}` }));
      }
      if (entry.verdict === "wrong") {
        const hint = el("button", { type: "button", class: "ghost practice__hint", "data-hint": id, "data-hint-part": p.part, text: "Hint" });
        hint.setAttribute("aria-label", `Hint: how ${name} is computed`);
        hint.addEventListener("click", () => actions.hint(p.part, index));
        cell.append(hint);
      }
    }
    return cell;
  }

  /** One result's boxes: a grid in the matrix's shape, or a few named entries of a big one. */
  function partFieldset(record, p) {
    const response = record.responses?.find((r) => r.part === p.part)?.response ?? null;
    const size = p.shape.reduce((a, b) => a * b, 1);
    const few = p.asked.length < size;
    const legend = el("legend", {
      text: few ? `${p.label} (${shapeText(p.shape)}): the ${p.asked.length} highlighted entries` : `${p.label} (${shapeText(p.shape)})`,
    });
    const box = el("fieldset", { class: "practice__part", "data-practice-part": p.part }, legend);
    if (few) {
      const list = el("div", { class: "practice__few" });
      for (const index of p.asked) {
        list.append(el("label", { class: "practice__named" }, el("span", { text: entryLabel(p.label, index) }), entryInput(record, p, index, response)));
      }
      box.append(list);
      return box;
    }
    const rows = p.shape[0];
    const cols = p.shape.length === 2 ? p.shape[1] : 1;
    const grid = el("div", { class: "practice__grid", style: `--cols: ${cols}` });
    for (let r = 0; r < rows; r += 1) {
      for (let c = 0; c < cols; c += 1) {
        const index = p.shape.length === 2 ? [r, c] : [r];
        grid.append(entryInput(record, p, index, response));
      }
    }
    box.append(grid);
    return box;
  }

  function feedback(record) {
    const box = el("div", { class: "practice__feedback", "data-practice-feedback": "" });
    const errors = Object.values(record.errors ?? {});
    if (errors.length > 0) {
      box.append(...errors.map((text) => el("p", { class: "practice__error", text })));
      return box;
    }
    if (!record.responses) return box;
    let right = 0;
    let total = 0;
    for (const p of record.parts) {
      const response = record.responses.find((r) => r.part === p.part).response;
      for (const index of p.asked) {
        total += 1;
        if (entryAt(response, index).verdict === "correct") right += 1;
      }
    }
    box.append(el("p", { class: "practice__score", "data-score": `${right}/${total}`, text: `${right} of ${total} right.` }));
    for (const { response } of record.responses) {
      for (const name of response.misconceptions) {
        const item = el("div", { class: "practice__mistake", "data-mistake": name });
        item.append(el("p", { class: "practice__words", text: `Looks like ${response.explanations[name]}.` }));
        const compare = el("dl", { class: "practice__compare" });
        compare.append(el("dt", { text: "You computed" }), el("dd", {}, tex(response.formulas[name])));
        compare.append(el("dt", { text: "Right" }), el("dd", {}, tex(response.formula)));
        item.append(compare);
        box.append(item);
      }
    }
    if (right < total && store.state.lesson) {
      box.append(el("p", { "data-lesson-rework": "", text: "Worked again: the first wrong entry is written out under the equation, and this phase is worked for you next iteration before it is yours again." }));
    }
    if (right < total && record.responses.every((r) => r.response.misconceptions.length === 0)) {
      box.append(el("p", { text: "No known mistake gives these numbers: a Hint writes an entry out with every number." }));
    }
    return box;
  }

  function lessonBox(lesson, phase) {
    const box = el("div", { class: "practice__lesson", "data-lesson": "" });
    const faded = Math.min(lesson.level, LAST_LEVEL);
    box.append(
      el("p", { class: "practice__lesson-head", "data-lesson-level": String(lesson.level), text: `Lesson: ${faded} of ${LAST_LEVEL} phases are yours this iteration` }),
      el("p", { text: LESSON_TEXT[phase] }),
      el("p", { class: "practice__lesson-note", "data-lesson-note": "", text: lessonNote(lesson, phase) }),
    );
    const leave = el("button", { type: "button", "data-action": "leave-lesson", text: "Leave lesson" });
    leave.addEventListener("click", () => actions.leaveLesson());
    box.append(leave);
    return box;
  }

  /**
   * The hidden results are out of reach too: their tables could otherwise still be
   * focused and read out cell by cell with the arrow keys (views/equation.js).
   */
  function hideResults(keys) {
    for (const fig of document.querySelectorAll("[data-view='equation'] [data-equation-body] [data-matrix]")) {
      const hide = keys.includes(fig.dataset.matrix) && (fig.dataset.role === "result" || fig.dataset.matrix.startsWith("grad_") || fig.dataset.matrix.startsWith("new_"));
      if (fig.inert !== hide) fig.inert = hide;
    }
  }

  function render() {
    const { session, practice, lesson } = store.state;
    const body = document.body;
    if (!practice || !session) {
      hideResults([]);
      root.hidden = true;
      root.replaceChildren();
      shownKey = null;
      delete body.dataset.practice;
      delete body.dataset.practiceMask;
      return;
    }
    const key = stepKey(session);
    const record = practice.steps[key] ?? null;
    const step = session.steps[session.cursor.index];
    const asking = record?.status === "ask";
    body.dataset.practice = asking ? "ask" : "on";
    const masked = asking ? record.parts.map((p) => resultKey(record.phase, p.part)) : [];
    if (asking) body.dataset.practiceMask = masked.join(" ");
    else delete body.dataset.practiceMask;
    hideResults(masked);

    const signature = JSON.stringify([key, record, lesson, practice.summary]);
    if (signature === shownKey) return;
    const focused = document.activeElement?.closest?.("[data-view='practice'] input[data-part]");
    const refocus = focused ? `input[data-part="${focused.dataset.part}"][data-index="${focused.dataset.index}"]` : null;
    shownKey = signature;
    root.hidden = false;
    const title = el("h3", { id: "practice-title", class: "practice__title", text: `Practice: ${PHASE_TITLES[step.phase].toLowerCase()}, layer ${step.layer}` });
    const children = [title];
    if (lesson) children.push(lessonBox(lesson, step.phase));
    if (record) {
      const form = el("form", { class: "practice__form", "data-practice-form": "", novalidate: "" });
      form.append(el("p", { class: "caption", text: asking ? "Compute the result and type it (Tab moves between boxes, Enter checks). Four significant digits are enough." : "The result is shown in the equation below." }));
      for (const p of record.parts) form.append(partFieldset(record, p));
      const buttons = el("div", { class: "practice__buttons" });
      buttons.append(el("button", { type: "submit", class: "primary", "data-action": "check", text: "Check" }));
      if (asking) {
        const reveal = el("button", { type: "button", "data-action": "reveal", text: "Reveal" });
        reveal.addEventListener("click", () => actions.reveal());
        buttons.append(reveal);
      }
      form.append(buttons);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        actions.checkAnswer(typedValues());
      });
      children.push(form, feedback(record));
    }
    if (practice.summary) {
      children.push(el("p", { class: "practice__summary", "data-practice-summary": String(practice.summary.iteration), text: practice.summary.text }));
    }
    root.replaceChildren(...children);
    // said once per check, not on every rebuild: the panel itself is rebuilt, a live region must stay
    const said = record?.responses || record?.errors ? root.querySelector("[data-practice-feedback]").textContent : "";
    if (status.textContent !== said) status.textContent = said;
    if (refocus) root.querySelector(refocus)?.focus();
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("session") || k.includes("practice") || k.includes("lesson")) render();
  });
  return { render };
}
