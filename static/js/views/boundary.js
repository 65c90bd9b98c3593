// The decision boundary: the network's output over the input plane (GET …/field)
// as a heatmap with the data (GET …/data) on top — training samples as dots,
// held-out test samples as rings. One output: the value scale from format.js
// (red near 0, blue near 1); several (softmax): one colour per class, mixed by
// the class probabilities. One input: the fitted curve over the data.
// Also the accuracy line of the training card.
import { cellColour, SCALES } from "../format.js";

// Okabe–Ito: distinguishable with every common colour-vision deficiency.
const CLASS_COLOURS = ["#e69f00", "#0072b2", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"];
const INK = "#1b2333";

function rgb(hex) {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
const CLASS_RGB = CLASS_COLOURS.map(rgb);
const parseRgb = (s) => s.match(/\d+/g).map(Number);

const pct = (v) => (v === null || v === undefined ? "–" : `${(100 * v).toFixed(1)}%`);

/** The kind of picture for a session: "binary", "classes", "curve" or "values". */
function boundaryKind(session, data) {
  const layers = session.network.layers;
  if (layers[0] === 1) return "curve";
  const targets = data?.train?.targets ?? [];
  const zeroOne = targets.every((t) => t.every((v) => v === 0 || v === 1));
  if (layers[layers.length - 1] > 1) {
    const oneHot = zeroOne && targets.every((t) => t.reduce((a, v) => a + v, 0) === 1);
    return oneHot ? "classes" : "values";
  }
  return zeroOne ? "binary" : "values";
}

function classOf(target) {
  if (target.length === 1) return target[0] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let j = 1; j < target.length; j += 1) if (target[j] > target[best]) best = j;
  return best;
}

export function mountBoundary(root, store) {
  const canvas = root.querySelector("[data-boundary]");
  const caption = root.querySelector("[data-boundary-caption]");
  const card = root.closest("[data-view='training']");
  const accTrain = card.querySelector("[data-accuracy='train']");
  const accTest = card.querySelector("[data-accuracy='test']");
  const ctx = canvas.getContext("2d", { willReadFrequently: true }); // tests and tools read it back
  const off = document.createElement("canvas");

  function drawPlane(field, kind) {
    const N = field.resolution;
    off.width = N;
    off.height = N;
    const octx = off.getContext("2d");
    const img = octx.createImageData(N, N);
    const outs = field.outputs;
    let range = 0;
    if (kind === "values") for (const row of outs[0]) for (const v of row) if (v !== null) range = Math.max(range, Math.abs(v));
    for (let i = 0; i < N; i += 1) {
      const row = N - 1 - i; // row i is the i-th y from low to high: low y at the bottom
      for (let j = 0; j < N; j += 1) {
        let c;
        if (kind === "classes") {
          c = [0, 0, 0];
          for (let k = 0; k < outs.length; k += 1) {
            const p = outs[k][i][j] ?? 0;
            const col = CLASS_RGB[k % CLASS_RGB.length];
            c[0] += p * col[0];
            c[1] += p * col[1];
            c[2] += p * col[2];
          }
          c = c.map((v) => 0.55 * v + 0.45 * 255); // lighter, so the dots stand out
        } else {
          const v = outs[0][i][j];
          c = parseRgb(kind === "binary" ? cellColour(v === null ? 0 : v - 0.5, 0.5) : cellColour(v, range));
        }
        const o = 4 * (row * N + j);
        img.data[o] = c[0];
        img.data[o + 1] = c[1];
        img.data[o + 2] = c[2];
        img.data[o + 3] = 255;
      }
    }
    octx.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, 0, 0, canvas.width, canvas.height);
  }

  function pointColour(kind, target) {
    if (kind === "classes") return CLASS_COLOURS[classOf(target) % CLASS_COLOURS.length];
    if (kind === "binary") return classOf(target) === 1 ? SCALES.value[6] : SCALES.value[0];
    return INK;
  }

  function drawPoints(field, data, kind) {
    const [xlo, xhi] = field.extent.x;
    const [ylo, yhi] = field.extent.y;
    const S = canvas.width;
    const X = (x) => ((x - xlo) / (xhi - xlo)) * S;
    const Y = (y) => S - ((y - ylo) / (yhi - ylo)) * S;
    const r = S / 90;
    for (const [part, rows] of [["train", data.train], ["test", data.test]]) {
      if (!rows) continue;
      rows.inputs.forEach((x, n) => {
        const colour = pointColour(kind, rows.targets[n]);
        ctx.beginPath();
        if (part === "train") {
          ctx.arc(X(x[0]), Y(x[1]), r, 0, 2 * Math.PI);
          ctx.fillStyle = colour;
          ctx.fill();
          ctx.lineWidth = 1.2;
          ctx.strokeStyle = "#ffffff";
          ctx.stroke();
        } else {
          // a test sample: a ring with a dark outline
          ctx.arc(X(x[0]), Y(x[1]), r * 1.25, 0, 2 * Math.PI);
          ctx.fillStyle = "#ffffff";
          ctx.fill();
          ctx.lineWidth = 2.4;
          ctx.strokeStyle = colour;
          ctx.stroke();
          ctx.beginPath();
          ctx.arc(X(x[0]), Y(x[1]), r * 1.25 + 1.6, 0, 2 * Math.PI);
          ctx.lineWidth = 1;
          ctx.strokeStyle = INK;
          ctx.stroke();
        }
      });
    }
  }

  function drawCurve(field, data) {
    const S = canvas.width;
    const H = canvas.height;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, S, H);
    const [xlo, xhi] = field.extent.x;
    const ys = [...field.outputs[0].filter((v) => v !== null)];
    for (const rows of [data.train, data.test]) if (rows) for (const t of rows.targets) ys.push(t[0]);
    let ylo = Math.min(...ys);
    let yhi = Math.max(...ys);
    const m = 0.1 * (yhi - ylo || 1);
    ylo -= m;
    yhi += m;
    const X = (x) => ((x - xlo) / (xhi - xlo)) * S;
    const Y = (y) => H - ((y - ylo) / (yhi - ylo)) * H;
    ctx.strokeStyle = "#c3c9d6";
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, Y(0));
    ctx.lineTo(S, Y(0));
    ctx.stroke();
    for (const [part, rows] of [["train", data.train], ["test", data.test]]) {
      if (!rows) continue;
      rows.inputs.forEach((x, n) => {
        ctx.beginPath();
        ctx.arc(X(x[0]), Y(rows.targets[n][0]), part === "train" ? 3.5 : 4.5, 0, 2 * Math.PI);
        if (part === "train") {
          ctx.fillStyle = SCALES.value[6];
          ctx.fill();
        } else {
          ctx.fillStyle = "#ffffff";
          ctx.fill();
          ctx.lineWidth = 2;
          ctx.strokeStyle = SCALES.value[0];
          ctx.stroke();
        }
      });
    }
    ctx.beginPath();
    field.inputs.forEach((x, i) => {
      const v = field.outputs[0][i];
      if (v === null) return;
      if (i === 0) ctx.moveTo(X(x), Y(v));
      else ctx.lineTo(X(x), Y(v));
    });
    ctx.lineWidth = 3;
    ctx.strokeStyle = INK;
    ctx.stroke();
  }

  function renderFacts() {
    const session = store.state.live ?? store.state.session; // live: while training
    if (!session) return;
    accTrain.textContent = pct(session.evaluation.train.accuracy);
    accTest.textContent = pct(session.evaluation.test?.accuracy);
    card.dataset.trainAccuracy = String(session.evaluation.train.accuracy ?? "");
    const hide = session.network.layers[0] > 2;
    if (root.hidden !== hide) root.hidden = hide;
  }

  function render() {
    const { session, field, sessionData } = store.state;
    if (!session || !field || field.id !== session.id || !sessionData || sessionData.id !== session.id) return;
    const kind = boundaryKind(session, sessionData);
    root.dataset.kind = kind;
    root.dataset.drawnIteration = String(field.iteration);
    if (kind === "curve") {
      canvas.height = Math.round(canvas.width * 0.62);
      drawCurve(field, sessionData);
      canvas.setAttribute("aria-label", `The fitted curve at iteration ${field.iteration} over the data`);
      caption.textContent = "Line: the network's output over x. Filled dots: training samples; rings: test samples.";
      return;
    }
    if (canvas.height !== canvas.width) canvas.height = canvas.width;
    drawPlane(field, kind);
    drawPoints(field, sessionData, kind);
    canvas.setAttribute("aria-label", `Decision boundary at iteration ${field.iteration}`);
    caption.textContent =
      kind === "classes"
        ? "Background: each class's colour, mixed by the network's probabilities. Filled dots: training samples; rings: test samples."
        : kind === "binary"
          ? "Background: the network's output a (red near 0, blue near 1). Filled dots: training samples; rings: test samples."
          : `Background: the network's output${field.outputs.length > 1 ? " a[0] (its first neuron)" : ""}, red low, blue high. Dots: training samples; rings: test samples.`;
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("session") || k.includes("live")) renderFacts();
    if (k.includes("field") || k.includes("sessionData")) render();
  });
}
