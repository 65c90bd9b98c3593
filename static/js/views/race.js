// The optimizer race card: two or three update rules, each with its own η,
// trained from the session's network and data; their cost curves (the API's
// numbers) on one chart, with each lane's last cost or where it diverged.
import { ticks, tickLabel } from "../axis.js";
import { formatNumber } from "../format.js";
import { RACE_COLOURS, curveRuns, laneTitle, raceTop } from "../race.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 300;
const H = 150;
// the lanes a race starts with; the third may be switched off ("none")
const START = [
  { name: "sgd", eta: null },
  { name: "momentum", eta: null },
  { name: "adam", eta: 0.01 },
];

function svg(name, attrs = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

export function mountRace(root, store, actions) {
  const lanesBox = root.querySelector("[data-race-lanes]");
  const iterationsInput = root.querySelector("[data-race-iterations]");
  const button = root.querySelector("[data-action='race']");
  const chart = root.querySelector("[data-race-chart]");
  const legend = root.querySelector("[data-race-legend]");
  const status = root.querySelector("[data-race-status]");
  let built = false;
  let sessionId = null;

  /** A new session: the lanes without their own η take its learning rate. */
  function followSession(session) {
    if (session.id === sessionId) return;
    sessionId = session.id;
    START.forEach((start, i) => {
      const input = lanesBox.querySelector(`[data-race-eta='${i}']`);
      if (input && start.eta === null) input.value = String(session.config.learning_rate);
    });
  }

  function buildLanes() {
    const { options, session } = store.state;
    if (!options || !session || built) return;
    built = true;
    const names = (options.optimizers ?? []).map((o) => o.name);
    START.forEach((start, i) => {
      const row = document.createElement("div");
      row.className = "field-row race__lane";
      row.dataset.raceLane = String(i);
      const label = document.createElement("label");
      label.className = "field";
      label.innerHTML = `<span class="field__label"><span class="race__key race__key--${i}" aria-hidden="true"></span>rule ${i + 1}</span>`;
      const sel = document.createElement("select");
      sel.dataset.raceOptimizer = String(i);
      for (const n of [...(i === 2 ? ["none"] : []), ...names]) sel.append(new Option(n, n, n === start.name, n === start.name));
      label.append(sel);
      const etaLabel = document.createElement("label");
      etaLabel.className = "field";
      etaLabel.innerHTML = `<span class="field__label">η</span>`;
      const eta = document.createElement("input");
      eta.type = "number";
      eta.step = "any";
      eta.min = "0";
      eta.dataset.raceEta = String(i);
      eta.value = String(start.eta ?? session.config.learning_rate);
      etaLabel.append(eta);
      row.append(label, etaLabel);
      lanesBox.append(row);
    });
  }

  button.addEventListener("click", () => {
    const defaults = Object.fromEntries((store.state.options.optimizers ?? []).map((o) => [o.name, o.defaults]));
    const lanes = [...lanesBox.querySelectorAll("[data-race-lane]")]
      .map((row) => ({
        name: row.querySelector("select").value,
        eta: Number(row.querySelector("input").value),
      }))
      .filter((lane) => lane.name !== "none")
      .map((lane) => ({ optimizer: { name: lane.name, ...(defaults[lane.name] ?? {}) }, learningRate: lane.eta }));
    actions.race(lanes, Number(iterationsInput.value));
  });

  function drawAxes(top, iterations) {
    const g = svg("g", { class: "race__axes" });
    g.append(svg("line", { x1: 0, y1: H, x2: W, y2: H }), svg("line", { x1: 0, y1: 0, x2: 0, y2: H }));
    for (const v of ticks(0, top, 3)) {
      const y = H - (v / top) * H;
      g.append(svg("line", { x1: 0, y1: y, x2: W, y2: y, class: "race__grid" }));
      const t = svg("text", { x: -5, y: y + 5, "text-anchor": "end" });
      t.textContent = tickLabel(v, 3);
      g.append(t);
    }
    for (const v of ticks(0, iterations - 1, 4)) {
      const x = (v / Math.max(1, iterations - 1)) * W;
      const t = svg("text", { x, y: H + 20, "text-anchor": "middle" });
      t.textContent = String(v);
      g.append(t);
    }
    return g;
  }

  function render() {
    buildLanes();
    const { race, session, busy } = store.state;
    if (session) followSession(session);
    button.disabled = Boolean(busy);
    chart.replaceChildren();
    legend.replaceChildren();
    status.textContent = "";
    if (!race || !session || race.id !== session.id) {
      root.dataset.state = "idle";
      return;
    }
    if (race.error) {
      root.dataset.state = "error";
      status.textContent = race.error;
      return;
    }
    root.dataset.state = "done";
    const top = raceTop(race.lanes);
    chart.append(drawAxes(top, race.iterations));
    race.lanes.forEach((lane, i) => {
      for (const points of curveRuns(lane.costs, race.iterations, top, W, H)) {
        chart.append(svg("polyline", { points, class: `race__line ${RACE_COLOURS[i]}`, "data-race-line": i }));
      }
      const item = document.createElement("li");
      item.dataset.raceResult = String(i);
      const last = lane.costs.at(-1);
      const end =
        lane.divergedAt !== null
          ? `diverged at iteration ${lane.divergedAt}`
          : `cost after ${race.iterations} iterations: ${formatNumber(last, 4)}`;
      item.innerHTML = `<span class="race__key race__key--${i}" aria-hidden="true"></span>`;
      item.append(`${laneTitle(lane)}: ${end}`);
      item.dataset.value = String(last);
      legend.append(item);
    });
    chart.setAttribute("aria-label", `Cost per iteration of ${race.lanes.map(laneTitle).join(", ")}`);
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("race") || k.includes("session") || k.includes("options") || k.includes("busy")) render();
  });
  render(); // (mounted when the card comes near: the page's state is there already)
  return { render };
}
