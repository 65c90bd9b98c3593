// The decision boundary: the network's output over the input plane (GET …/field)
// as a heatmap with the data (GET …/data) on top — training samples as filled
// dots, held-out test samples as hollow rings — and axes with ticks. One output:
// the value scale from format.js (red near 0, blue near 1); several (softmax):
// one colour per class, mixed by the class probabilities. One input: the fitted
// curve over the data. The canvas has as many pixels as the screen shows
// (devicePixelRatio), so it is sharp on HiDPI screens; drawing is in CSS pixels.
// Also the accuracy line of the training card.
import { tickLabel, ticks } from "../axis.js";
import { cellColour, SCALES } from "../format.js";

// Room around the plot for the axes' tick labels, in CSS pixels.
const MARGIN = { left: 36, right: 8, top: 8, bottom: 24 };
const WIDTH = 340; // CSS pixels when the canvas is not laid out (hidden)
const FONT = "11px system-ui, sans-serif";

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

  /**
   * Size the canvas for `aspect` (the plot's height over its width) at the screen's
   * pixel density; the plot's box {x, y, w, h} in CSS pixels.
   */
  function layout(aspect) {
    const cssWidth = Math.round(canvas.clientWidth || WIDTH);
    const w = cssWidth - MARGIN.left - MARGIN.right;
    const h = Math.round(w * aspect);
    const cssHeight = MARGIN.top + h + MARGIN.bottom;
    const dpr = window.devicePixelRatio || 1;
    const width = Math.round(cssWidth * dpr);
    const height = Math.round(cssHeight * dpr);
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    ctx.setTransform(width / cssWidth, 0, 0, height / cssHeight, 0, 0);
    ctx.clearRect(0, 0, cssWidth, cssHeight);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, cssWidth, cssHeight);
    const plot = { x: MARGIN.left, y: MARGIN.top, w, h };
    // where the plot lies in the canvas's own pixels (tests read the picture there)
    root.dataset.plot = [plot.x, plot.y, plot.w, plot.h].map((v) => Math.round(v * dpr)).join(",");
    return plot;
  }

  /** Coordinates: data → CSS pixels of the canvas. */
  function scales(plot, [xlo, xhi], [ylo, yhi]) {
    return {
      X: (x) => plot.x + ((x - xlo) / (xhi - xlo)) * plot.w,
      Y: (y) => plot.y + plot.h - ((y - ylo) / (yhi - ylo)) * plot.h,
    };
  }

  /** The plot's frame, and ticks with their values below (x) and left (y). */
  function drawAxes(plot, xr, yr) {
    const { X, Y } = scales(plot, xr, yr);
    ctx.strokeStyle = INK;
    ctx.lineWidth = 1;
    ctx.strokeRect(plot.x - 0.5, plot.y - 0.5, plot.w + 1, plot.h + 1);
    ctx.fillStyle = INK;
    ctx.font = FONT;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const v of ticks(xr[0], xr[1], 4)) {
      const x = X(v);
      ctx.beginPath();
      ctx.moveTo(x, plot.y + plot.h);
      ctx.lineTo(x, plot.y + plot.h + 4);
      ctx.stroke();
      ctx.fillText(tickLabel(v, 3), x, plot.y + plot.h + 6);
    }
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const v of ticks(yr[0], yr[1], 4)) {
      const y = Y(v);
      ctx.beginPath();
      ctx.moveTo(plot.x - 4, y);
      ctx.lineTo(plot.x, y);
      ctx.stroke();
      ctx.fillText(tickLabel(v, 3), plot.x - 6, y);
    }
  }

  function drawPlane(plot, field, kind) {
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
    ctx.drawImage(off, plot.x, plot.y, plot.w, plot.h);
  }

  function pointColour(kind, target) {
    if (kind === "classes") return CLASS_COLOURS[classOf(target) % CLASS_COLOURS.length];
    if (kind === "binary") return classOf(target) === 1 ? SCALES.value[6] : SCALES.value[0];
    return INK;
  }

  /** A training sample: a dot filled with its class's colour, outlined in ink. */
  function dot(x, y, r, colour) {
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = colour;
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = INK;
    ctx.stroke();
  }

  /** A test sample: a hollow ring in its class's colour (the background shows through), outlined in ink. */
  function ring(x, y, r, colour) {
    ctx.beginPath();
    ctx.arc(x, y, r + 1.5, 0, 2 * Math.PI);
    ctx.lineWidth = 1;
    ctx.strokeStyle = INK;
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = colour;
    ctx.stroke();
  }

  /** The samples: test rings first, training dots over them. */
  function drawSamples(plot, points) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.x, plot.y, plot.w, plot.h);
    ctx.clip();
    const r = Math.max(3.5, plot.w / 80);
    for (const p of points.filter((q) => q.part === "test")) ring(p.x, p.y, r * 1.5, p.colour);
    for (const p of points.filter((q) => q.part === "train")) dot(p.x, p.y, r, p.colour);
    ctx.restore();
  }

  /** The samples of `data` ({train, test}) at their places, with their colours. */
  function samplePoints(data, place, colour) {
    const points = [];
    for (const [part, rows] of [["train", data.train], ["test", data.test]]) {
      if (!rows) continue;
      rows.inputs.forEach((x, n) => points.push({ part, ...place(x, rows.targets[n]), colour: colour(rows.targets[n]) }));
    }
    return points;
  }

  function drawBoundary(field, data, kind) {
    const plot = layout(1);
    const xr = field.extent.x;
    const yr = field.extent.y;
    const { X, Y } = scales(plot, xr, yr);
    drawPlane(plot, field, kind);
    drawSamples(plot, samplePoints(data, (x) => ({ x: X(x[0]), y: Y(x[1]) }), (t) => pointColour(kind, t)));
    drawAxes(plot, xr, yr);
  }

  function drawCurve(field, data) {
    const plot = layout(0.62);
    const xr = field.extent.x;
    const ys = [...field.outputs[0].filter((v) => v !== null)];
    for (const rows of [data.train, data.test]) if (rows) for (const t of rows.targets) ys.push(t[0]);
    const m = 0.1 * (Math.max(...ys) - Math.min(...ys) || 1);
    const yr = [Math.min(...ys) - m, Math.max(...ys) + m];
    const { X, Y } = scales(plot, xr, yr);
    ctx.strokeStyle = "#c3c9d6";
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(plot.x, Y(0));
    ctx.lineTo(plot.x + plot.w, Y(0));
    ctx.stroke();
    drawSamples(plot, samplePoints(data, (x, t) => ({ x: X(x[0]), y: Y(t[0]) }), () => SCALES.value[6]));
    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.x, plot.y, plot.w, plot.h);
    ctx.clip();
    ctx.beginPath();
    let started = false;
    field.inputs.forEach((x, i) => {
      const v = field.outputs[0][i];
      if (v === null) return;
      if (!started) ctx.moveTo(X(x), Y(v));
      else ctx.lineTo(X(x), Y(v));
      started = true;
    });
    ctx.lineWidth = 3;
    ctx.strokeStyle = INK;
    ctx.stroke();
    ctx.restore();
    drawAxes(plot, xr, yr);
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

  const SAMPLES = "Filled dots: training samples; rings: test samples.";

  function render() {
    const { session, field, sessionData } = store.state;
    if (!session || !field || field.id !== session.id || !sessionData || sessionData.id !== session.id) return;
    const kind = boundaryKind(session, sessionData);
    root.dataset.kind = kind;
    root.dataset.drawnIteration = String(field.iteration);
    if (kind === "curve") {
      drawCurve(field, sessionData);
      canvas.setAttribute("aria-label", `The fitted curve at iteration ${field.iteration} over the data`);
      caption.textContent = `Line: the network's output over x (across); y up. ${SAMPLES}`;
      return;
    }
    drawBoundary(field, sessionData, kind);
    canvas.setAttribute("aria-label", `Decision boundary at iteration ${field.iteration}`);
    const axes = "Axes: the inputs x₁ (across) and x₂ (up).";
    caption.textContent =
      kind === "classes"
        ? `Background: each class's colour, mixed by the network's probabilities. ${SAMPLES} ${axes}`
        : kind === "binary"
          ? `Background: the network's output a (red near 0, blue near 1). ${SAMPLES} ${axes}`
          : `Background: the network's output${field.outputs.length > 1 ? " a[0] (its first neuron)" : ""}, red low, blue high. ${SAMPLES} ${axes}`;
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("session") || k.includes("live")) renderFacts();
    if (k.includes("field") || k.includes("sessionData")) render();
  });
  // a new width (a rotated phone, a resized window) or pixel density: draw again at it
  let width = 0;
  new ResizeObserver(() => {
    const now = canvas.clientWidth;
    if (now && now !== width) {
      width = now;
      render();
    }
  }).observe(canvas);
}
