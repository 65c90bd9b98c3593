// The practice bar: the Practice switch, the guided lesson (Learn, or Resume lesson
// when one is saved), New problem (a small network drawn from a seed) and, for a
// drawn problem, its printable worksheet with the answer key.

/** A seed for a new problem: any whole number names a problem, the same everywhere. */
export function drawSeed(random = Math.random) {
  return 1 + Math.floor(random() * 99999);
}

export function mountPracticeBar(root, store, actions) {
  const toggle = root.querySelector("[data-action='practice']");
  const learn = root.querySelector("[data-action='learn']");
  const restart = root.querySelector("[data-action='restart-lesson']");
  const problem = root.querySelector("[data-action='new-problem']");
  const sheet = root.querySelector("[data-worksheet-link]");
  const note = root.querySelector("[data-problem-note]");

  toggle.addEventListener("click", () => actions.togglePractice());
  learn.addEventListener("click", () => actions.startLesson());
  restart.addEventListener("click", () => actions.restartLesson());
  problem.addEventListener("click", () => actions.newProblem(drawSeed()));

  function render() {
    const { practice, lesson, problem: drawn } = store.state;
    toggle.setAttribute("aria-checked", practice ? "true" : "false");
    const saved = lesson ? null : actions.savedLesson();
    learn.hidden = Boolean(lesson);
    learn.textContent = saved ? `Resume lesson (iteration ${saved.iteration})` : "Learn";
    restart.hidden = !saved && !lesson;
    sheet.hidden = !drawn;
    note.hidden = !drawn;
    if (drawn) {
      sheet.href = `/worksheet?seed=${drawn.seed}`;
      note.textContent = `Problem ${drawn.seed}: ${drawn.layers.join("-")}`;
    }
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("practice") || k.includes("lesson") || k.includes("problem")) render();
  });
  render();
  return { render };
}
