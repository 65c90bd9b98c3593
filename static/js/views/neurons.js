// What each hidden neuron computes: for 2-D inputs, a small heatmap per hidden
// neuron of its activation over the same plane as the boundary (GET …/field
// with hidden=true), one row per hidden layer, coloured with format.js's value
// scale around the middle of the activation's range; for 1-D inputs, each
// neuron's activation as a curve over the same x as the fit, with its zero line.
import { SCALES, cellColour } from "../format.js";

const parseRgb = (s) => s.match(/\d+/g).map(Number);

export function mountNeurons(root, store) {
  const grid = root.querySelector("[data-neurons]");
  const caption = root.querySelector("[data-neurons-caption]");
  let shape = "";

  function centreOf(activation) {
    const a = store.state.options?.activations?.find((x) => x.name === activation);
    const [lo, hi] = a?.output_range ?? [null, null];
    return lo !== null && hi !== null ? (lo + hi) / 2 : 0;
  }

  function build(layers, oneD) {
    grid.replaceChildren();
    layers.forEach((neurons, l) => {
      const row = document.createElement("div");
      row.className = "neurons__layer";
      const label = document.createElement("span");
      label.className = "neurons__label";
      label.textContent = `layer ${l + 1}`;
      row.append(label);
      neurons.forEach((_, j) => {
        const c = document.createElement("canvas");
        c.width = 48;
        c.height = 48;
        c.dataset.neuronMap = `${l + 1}:${j}`;
        c.title = `layer ${l + 1}, neuron ${j}: a${"¹²³⁴⁵⁶⁷⁸⁹"[l] ?? ""}[${j}] over ${oneD ? "x" : "the input plane"}`;
        c.setAttribute("role", "img");
        c.setAttribute("aria-label", c.title);
        row.append(c);
      });
      grid.append(row);
    });
  }

  function render() {
    const { session, field, presenting } = store.state;
    const show = Boolean(session && field && field.neurons && field.id === session.id && !presenting);
    if (root.hidden === show) root.hidden = !show;
    if (!show) return;
    const layers = field.neurons;
    const oneD = Boolean(field.neuronInputs);
    const key = `${oneD ? "1d" : "2d"}:${layers.map((l) => l.length).join("-")}`;
    if (key !== shape) {
      shape = key;
      build(layers, oneD);
      caption.textContent = oneD
        ? "Each box is one hidden neuron's activation over x (same x as the fit), with its zero line."
        : "Each square is one hidden neuron's activation over the input plane (same axes as the boundary): blue high, red low.";
    }
    root.dataset.kind = oneD ? "curves" : "maps";
    layers.forEach((neurons, l) => {
      neurons.forEach((values, j) => {
        const c = grid.querySelector(`canvas[data-neuron-map='${l + 1}:${j}']`);
        if (oneD) drawCurve(c, values);
        else drawMap(c, values, l, field.neuronResolution);
      });
    });
    root.dataset.drawnIteration = String(field.iteration);
  }

  /** A 2-D neuron: its activation over the plane, as the boundary's heatmap. */
  function drawMap(c, values, l, N) {
    const centre = centreOf(store.state.session.network.activations[l]);
    let range = 0;
    for (const r of values) for (const v of r) if (v !== null) range = Math.max(range, Math.abs(v - centre));
    const off = document.createElement("canvas");
    off.width = N;
    off.height = N;
    const octx = off.getContext("2d");
    const img = octx.createImageData(N, N);
    for (let i = 0; i < N; i += 1) {
      for (let k = 0; k < N; k += 1) {
        const v = values[i][k];
        const [r, g, b] = parseRgb(cellColour(v === null ? 0 : v - centre, range));
        const o = 4 * ((N - 1 - i) * N + k);
        img.data[o] = r;
        img.data[o + 1] = g;
        img.data[o + 2] = b;
        img.data[o + 3] = 255;
      }
    }
    octx.putImageData(img, 0, 0);
    const ctx = c.getContext("2d");
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, 0, 0, c.width, c.height);
  }

  /** A 1-D neuron: its activation over x as a line, scaled to its own range with 0 in view. */
  function drawCurve(c, values) {
    const ctx = c.getContext("2d");
    const S = c.width;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, S, S);
    const finite = values.filter((v) => v !== null);
    if (!finite.length) return;
    const lo = Math.min(0, ...finite);
    const hi = Math.max(0, ...finite);
    const span = hi - lo || 1;
    const Y = (v) => S - 3 - ((v - lo) / span) * (S - 6);
    ctx.strokeStyle = "#c3c9d6";
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, Y(0));
    ctx.lineTo(S, Y(0));
    ctx.stroke();
    ctx.beginPath();
    values.forEach((v, i) => {
      if (v === null) return;
      const x = (i / (values.length - 1)) * S;
      if (i === 0) ctx.moveTo(x, Y(v));
      else ctx.lineTo(x, Y(v));
    });
    ctx.strokeStyle = SCALES.value[6];
    ctx.lineWidth = 2;
    ctx.stroke();
    c.dataset.range = `${lo},${hi}`;
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("field") || k.includes("presenting")) render();
  });
}
