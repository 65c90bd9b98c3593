// The actions of the training views, sharing and export. main.js
// wires them next to its own: they go through its request queue (one request
// at a time, in order) and its applySession, and write only to the store.
// No math here: training runs on the server's fast path, in chunks sized so
// that the boundary is redrawn about ten times a second.
import { ApiError } from "./api.js";
import { loadField, sessionSource } from "./field-source.js";
import { stepCsv, stepJson, stepLatex, stepNumpy } from "./step-export.js";
import { decodeState, encodeState } from "./url-state.js";

const CYCLE_MS = 92; // one chunk + its redraw: ≥ 10 boundary updates per second
const MAX_CHUNK = 5000;
// While training continuously the step view (hundreds of table cells) is
// redrawn at most this often; the boundary, the curve and the accuracy follow
// every chunk (store.state.live). The stepper gets the last state at the end.
const STEP_VIEW_MS = 2000;
const MAX_REPLAY = 20000; // iterations a share link replays (a couple of seconds on the server)
// Longer links do not survive the trip: reverse proxies refuse long request
// lines (deploy/nginx.conf allows 64 KB, nginx's default is 8 KB), and chat and
// mail clients cut them. A state that needs more (large explicit data, wide
// weights) travels as an exported session file instead.
export const MAX_LINK_CHARS = 60000;

const hiddenCount = (s) => (s ? s.network.layers.length - 2 : 0);

/**
 * The next chunk's size, from the last cycle: `n` iterations that took
 * `serverMs` on the server, in a cycle (train + field + drawing) of `cycleMs`.
 * Fills CYCLE_MS with training beside the fixed costs. When the fixed costs
 * alone exceed the cycle (a slow machine, a busy server), training still gets
 * at least half as much time as they take, instead of shrinking to one
 * iteration a cycle: the boundary then redraws less often, but training goes on.
 */
export function nextChunk(chunk, n, serverMs, cycleMs) {
  const perIteration = Math.max(serverMs, 0.5) / n;
  const fixed = Math.max(0, cycleMs - perIteration * n);
  const trainMs = Math.max(CYCLE_MS - fixed, 0.5 * fixed);
  const wanted = Math.max(1, trainMs / perIteration);
  return Math.round(Math.min(MAX_CHUNK, Math.max(1, 0.5 * chunk + 0.5 * wanted)));
}

export function trainingActions({ store, api, enqueue, applySession, fail }) {
  let chunk = 8;
  let fieldToken = 0;
  let dataFor = null;
  let lastFieldKey = null;

  const source = sessionSource(api);

  /** The boundary (and every hidden neuron, for 2-D inputs) of the session as it stands. */
  function fetchField(session, wantNeurons = true) {
    return loadField(source, session, wantNeurons && hiddenCount(session) > 0 && !store.state.presenting);
  }

  async function refreshField() {
    const session = store.state.session;
    if (!session) return;
    const token = ++fieldToken;
    try {
      if (dataFor !== session.id) {
        dataFor = session.id;
        const data = await source.data(session);
        if (token === fieldToken) store.set({ sessionData: { ...data, id: session.id } });
      }
      const field = await fetchField(session);
      if (token === fieldToken) store.set({ field });
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) fail(err);
    }
  }

  // Redraw the boundary when the network changes outside a training run
  // (a finished iteration, a reset, a new session); a run draws its own.
  let trainingId = null;
  store.addEventListener("change", (e) => {
    if (!e.detail.keys.includes("session")) return;
    const s = store.state.session;
    if (store.state.training) {
      // another session (a preset, an import): the run ends
      if (trainingId !== null && s && s.id !== trainingId) store.set({ training: null });
      trainingId = s?.id ?? null;
      return;
    }
    trainingId = s?.id ?? null;
    const key = s ? `${s.id}:${s.cursor.iteration}:${s.diverged}` : null;
    if (key === lastFieldKey) return;
    lastFieldKey = key;
    if (s) refreshField();
  });

  function workLimit(session) {
    const limits = store.state.options?.limits ?? {};
    const batch = Math.min(session.config.batch_size ?? 32, session.trace.batch.a0[0]?.length ?? 1);
    const params = session.network.weights.reduce((n, W, i) => n + W.length * (W[0]?.length ?? 0) + session.network.biases[i].length, 0);
    const byWork = Math.floor((limits.max_train_work ?? 2e9) / Math.max(1, batch * params));
    return Math.max(1, Math.min(MAX_CHUNK, limits.max_iterations ?? 10000, byWork));
  }

  /**
   * Train in chunks until stopped (or `target` iterations). Pipelined: while
   * the server computes chunk k, the page draws chunk k − 1's results, so the
   * drawing costs no training time. Chunks are sized so that a whole cycle
   * (train + field + its share of drawing) takes about CYCLE_MS.
   */
  async function run(mode, target) {
    store.set({ playing: false, training: { mode, target, done: 0, startedAt: performance.now(), rate: 0 }, message: null });
    const stats = { iterations: 0, updates: 0, started: performance.now() };
    let applied = performance.now();
    let shown = null; // the newest state given to the views
    let drawn = null; // {next, field} fetched but not drawn yet
    let cycles = 0;

    const draw = (item) => {
      const { next, field } = item;
      if (performance.now() - applied > STEP_VIEW_MS) {
        applySession(next);
        applied = performance.now();
        store.set({ live: null });
      } else {
        store.set({ live: next });
      }
      shown = next;
      fieldToken += 1; // a late ordinary refresh must not overwrite this one
      lastFieldKey = `${next.id}:${next.cursor.iteration}:${next.diverged}`;
      if (field) store.set({ field: field.neurons || !store.state.field ? field : { ...field, neurons: store.state.field.neurons } });
      stats.updates += 1;
    };

    while (store.state.training) {
      const t = store.state.training;
      const session = shown ?? store.state.session;
      if (!session || session.diverged) break;
      const remaining = mode === "count" ? target - t.done : Infinity;
      if (remaining <= 0) break;
      const n = Math.max(1, Math.min(chunk, remaining, workLimit(session)));
      let ok = false;
      const t0 = performance.now();
      let serverMs = 0;
      await enqueue(async () => {
        if (!store.state.training) return;
        const id = store.state.session.id;
        const trained = api.train(id, n); // the server computes …
        if (drawn) draw(drawn); // … while the page draws the previous chunk
        drawn = null;
        const next = await trained;
        serverMs = performance.now() - t0;
        cycles += 1;
        // every hidden neuron every third chunk (they are 17× the boundary's values)
        const field = await fetchField(next, cycles % 3 === 1);
        drawn = { next, field };
        ok = true;
      });
      if (!ok) break;
      const cycle = performance.now() - t0;
      stats.iterations += n;
      chunk = nextChunk(chunk, n, serverMs, cycle);
      const elapsed = (performance.now() - stats.started) / 1000;
      if (store.state.training) {
        store.set({ training: { ...store.state.training, done: t.done + n, rate: stats.iterations / elapsed, updatesPerSecond: stats.updates / elapsed } });
      }
      if (drawn?.next.diverged) break;
    }
    const last = drawn;
    // the stepper resumes at the start of the next iteration, with the trained weights
    await enqueue(async () => {
      if (last && store.state.session?.id === last.next.id) draw(last);
      const final = last?.next ?? shown;
      if (final && store.state.session?.id === final.id && store.state.session !== final) applySession(final);
      store.set({ live: null });
    });
    const finished = store.state.training;
    stats.seconds = (performance.now() - stats.started) / 1000;
    store.set({ training: null, lastRun: { ...(finished ?? {}), ...stats } });
    return stats;
  }

  function download(name, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function shareQuery() {
    const s = store.state.session;
    if (!s) return "";
    // Beyond this many iterations a link carries the weights rather than a replay.
    const maxReplay = Math.min(MAX_REPLAY, store.state.options?.limits?.max_fast_forward ?? MAX_REPLAY);
    return encodeState(s.config, s.cursor, s.network, maxReplay, s.history.replayable !== false);
  }

  return {
    trainCount(n) {
      if (store.state.training) return Promise.resolve();
      return run("count", n);
    },
    toggleRun() {
      if (store.state.training) {
        store.set({ training: null });
        return Promise.resolve();
      }
      return run("run", Infinity);
    },
    stopTraining() {
      store.set({ training: null });
    },
    refreshField,
    setCurveScale(scale) {
      store.set({ curveScale: scale });
    },
    /** A new session with the current configuration's data changed (split, noise, size, seed). */
    changeData(changes) {
      const s = store.state.session;
      if (!s) return Promise.resolve();
      const config = JSON.parse(JSON.stringify(s.config));
      if (changes.test_split !== undefined) {
        if (changes.test_split > 0) config.test_split = changes.test_split;
        else delete config.test_split;
      }
      if (config.data.dataset !== undefined) {
        for (const k of ["noise", "size", "seed"]) if (changes[k] !== undefined) config.data[k] = changes[k];
      }
      return this.startSession(config);
    },
    startSession(config) {
      store.set({ training: null, gradcheck: null });
      return enqueue(async () => {
        const old = store.state.session;
        const session = await api.createSession(config);
        store.set({ message: null, configError: null, focus: null, lastPreset: null });
        applySession(session);
        if (old && old.id !== session.id) api.remove(old.id).catch(() => {});
      });
    },
    /** The session a share link (or the page's own URL) asks for; false if it asks for none. */
    openFromUrl(search) {
      let body;
      try {
        body = decodeState(search);
      } catch (err) {
        const message = { kind: "error", text: `This link could not be read: ${err.message}. The default example is shown instead.` };
        return enqueue(async () => {
          applySession(await api.createSession({ preset: "worked_example" }));
          store.set({ message, lastPreset: "worked_example" });
        }).then(() => true);
      }
      if (!body) return false;
      const opened = enqueue(async () => {
        try {
          applySession(await api.createSession(body));
        } catch (err) {
          if (err instanceof ApiError && err.status === 422) {
            store.set({ message: { kind: "error", text: `This link asks for a state the server cannot build: ${err.message}` } });
            applySession(await api.createSession({ preset: "worked_example" }));
            return;
          }
          throw err;
        }
      });
      return opened.then(() => true);
    },
    shareQuery,
    /** The link to this step, or null when it would be longer than MAX_LINK_CHARS. */
    shareUrl() {
      const url = `${location.origin}${location.pathname}?${shareQuery()}`;
      return url.length <= MAX_LINK_CHARS ? url : null;
    },
    async copyLink() {
      const url = this.shareUrl();
      if (url === null) {
        const kb = Math.ceil(shareQuery().length / 1000);
        store.set({
          message: {
            kind: "info",
            text: `This state is too large for a link (${kb} KB of weights and data; links stop at ${MAX_LINK_CHARS / 1000} KB): use "Export session", and "Import session" on the other machine.`,
          },
        });
        return null;
      }
      store.set({ sharedLink: url });
      try {
        await navigator.clipboard.writeText(url);
        store.set({ message: { kind: "info", text: "Link copied: it opens this network at this very step." } });
      } catch {
        store.set({ message: { kind: "info", text: "Copy the link from the box under Share (the clipboard is not available here)." } });
      }
      return url;
    },
    exportSession() {
      return enqueue(async () => {
        const s = store.state.session;
        const exported = await api.exportSession(s.id);
        download(`backprop-lens-session-${s.cursor.iteration}.json`, JSON.stringify(exported, null, 1), "application/json");
        store.set({ lastExport: exported });
      });
    },
    importSession(text) {
      let config;
      try {
        config = JSON.parse(text);
      } catch (err) {
        store.set({ message: { kind: "error", text: `That file is not JSON (${err.message}); export a session to see the format.` } });
        return Promise.resolve();
      }
      store.set({ training: null, gradcheck: null });
      return enqueue(async () => {
        try {
          applySession(await api.createSession(config));
          store.set({ message: { kind: "info", text: "Session imported: the same numbers at the same step." }, lastPreset: null });
        } catch (err) {
          if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
            store.set({ message: { kind: "error", text: `The file is not a session this server accepts: ${err.message}` } });
            return;
          }
          throw err;
        }
      });
    },
    exportStep(format) {
      const s = store.state.session;
      if (!s) return null;
      const step = s.steps[s.cursor.index];
      const base = `backprop-lens-t${s.cursor.iteration}-${step.phase}-${step.layer}`;
      const files = {
        csv: () => [`${base}.csv`, stepCsv(step, s.trace, s.cursor), "text/csv"],
        json: () => [`${base}.json`, stepJson(step, s.trace, s.cursor), "application/json"],
        latex: () => [`${base}.tex`, stepLatex(step, s.trace, s.cursor, store.state.digits), "application/x-tex"],
        numpy: () => [`${base}.py`, stepNumpy(step, s.trace, s.cursor), "text/x-python"],
      };
      const [name, text, type] = files[format]();
      download(name, text, type);
      return text;
    },
    gradcheck() {
      return enqueue(async () => {
        const s = store.state.session;
        const rows = (cols) => (cols.length ? cols[0].map((_, j) => cols.map((r) => r[j])) : []);
        const body = {
          network: {
            layers: s.network.layers,
            activations: s.network.activations,
            weights: s.network.weights,
            biases: s.network.biases,
          },
          cost: s.config.cost,
          inputs: rows(s.trace.batch.a0), // the batch, as m rows of samples
          targets: rows(s.trace.batch.y),
        };
        try {
          const result = await api.gradcheck(body);
          store.set({ gradcheck: { ...result, id: s.id, iteration: s.cursor.iteration } });
        } catch (err) {
          if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
            store.set({ gradcheck: { error: err.message, id: s.id } });
            return;
          }
          throw err;
        }
      });
    },
    /** The user's CSV: the server checks it; on success a new session trains on it. */
    useCsv(text) {
      const s = store.state.session;
      if (!s) return Promise.resolve();
      store.set({ csvResult: null });
      return enqueue(async () => {
        const [n0, nL] = [s.network.layers[0], s.network.layers[s.network.layers.length - 1]];
        let parsed;
        try {
          parsed = await api.csv(text, n0, nL);
        } catch (err) {
          if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
            store.set({ csvResult: { ok: false, message: err.message.replace(/^text: /, "") } });
            return;
          }
          throw err;
        }
        const config = JSON.parse(JSON.stringify(s.config));
        config.data = { inputs: parsed.inputs, targets: parsed.targets };
        config.batch_size = Math.min(config.batch_size ?? 32, parsed.rows);
        if (config.test_split && parsed.rows < 2) delete config.test_split;
        try {
          const session = await api.createSession(config);
          applySession(session);
          store.set({ csvResult: { ok: true, message: `${parsed.rows} samples loaded${parsed.header ? ` (columns ${parsed.header.join(", ")})` : ""}.` }, lastPreset: null });
          if (s.id !== session.id) api.remove(s.id).catch(() => {});
        } catch (err) {
          if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
            store.set({ csvResult: { ok: false, message: err.message } });
            return;
          }
          throw err;
        }
      });
    },
    togglePresent(on = !store.state.presenting) {
      store.set({ presenting: on, zoom: on ? store.state.zoom : false });
    },
    toggleZoom(on = !store.state.zoom) {
      store.set({ zoom: on });
    },
    setTheme(theme) {
      store.set({ theme });
      try {
        localStorage.setItem("bpl-theme", theme);
      } catch {
        /* storage may be off: the theme still applies to this page */
      }
    },
  };
}
