// The training buttons beside the step controls: train N iterations (with
// progress; pressing again stops), and run/pause continuous training.
// Keys: T trains N, G runs or pauses. main.js's actions do the work.
import { forShortcut } from "../keys.js";

export function mountTrainControls(root, store, actions) {
  const count = root.querySelector("[data-control='train-count']");
  const train = root.querySelector("[data-action='train']");
  const runButton = root.querySelector("[data-action='run']");
  const progress = root.querySelector("[data-train-progress]");
  const rate = root.querySelector("[data-train-rate]");

  const trainN = () => (store.state.training ? actions.stopTraining() : actions.trainCount(Number(count.value)));
  train.addEventListener("click", trainN);
  runButton.addEventListener("click", () => actions.toggleRun());

  document.addEventListener("keydown", (event) => {
    if (!forShortcut(event)) return;
    const key = event.key.toLowerCase();
    if (key === "t") {
      event.preventDefault();
      trainN();
    } else if (key === "g") {
      event.preventDefault();
      actions.toggleRun();
    }
  });

  function render() {
    const t = store.state.training;
    const running = Boolean(t && t.mode === "run");
    runButton.setAttribute("aria-pressed", running ? "true" : "false");
    runButton.querySelector("[data-label]").textContent = running ? "Pause" : "Run";
    runButton.querySelector("[data-icon]").textContent = running ? "❚❚" : "∞";
    const counting = Boolean(t && t.mode === "count");
    train.querySelector(".btn-label").textContent = counting ? "Stop" : "Train";
    train.title = counting ? "Stop training" : "Train this many iterations on the fast path (T)";
    train.setAttribute("aria-pressed", counting ? "true" : "false");
    train.disabled = running;
    count.disabled = Boolean(t);
    progress.hidden = !counting;
    if (counting) progress.value = Math.min(1, t.done / t.target);
    root.dataset.training = t ? t.mode : "";
    rate.textContent = t && t.rate ? `${Math.round(t.rate).toLocaleString("en")} it/s` : "";
  }
  store.addEventListener("change", (e) => {
    if (e.detail.keys.includes("training")) render();
  });
  render();
}
