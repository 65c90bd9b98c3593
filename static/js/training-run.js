// Training runs: train N iterations, or run until paused, on the server's fast
// path, in chunks. At full speed chunks are sized so that the boundary is
// redrawn about ten times a second; at a chosen speed (iterations a second) a
// run is paced: at 1 it/s it walks every step of every iteration (the step
// route: what the stepper shows, one step at a time), faster it trains a few
// iterations a chunk and shows every chunk's state. Goes through main.js's
// request queue and applySession, and writes only to the store. No math here.
import { stateAfter } from "./session-delta.js";

const CYCLE_MS = 92; // one chunk + its redraw: ≥ 10 boundary updates per second
const MAX_CHUNK = 5000;
// While training at full speed the step view (the equation's cells, the
// diagram) is redrawn once a second, and never for more than a twentieth of the
// time (for a big network whose redraw is slow): redrawing it more often costs
// half the training rate (bench/training.py). The iteration counter, the last
// cost, the boundary, the curve and the accuracy follow every chunk (store.state.live).
const STEP_VIEW_MS = 1000;
const STEP_VIEW_SHARE = 20;

/** The speeds a run can go at, in iterations a second; null is full speed. */
export const SPEEDS = [1, 5, 25, 100, 1000, null];

/**
 * How a paced run at `speed` iterations a second moves: every step one at a time
 * (`steps`: an iteration's 4L steps shared over the second), or `chunk`
 * iterations a request every `periodMs`. Full speed (null): no pace.
 */
export function pace(speed, steps) {
  if (speed === null) return null;
  if (speed <= 1) return { walk: true, chunk: 1, periodMs: 1000 / (speed * steps) };
  const chunk = Math.max(1, Math.round(speed / 10)); // about ten states a second
  return { walk: false, chunk, periodMs: (1000 * chunk) / speed };
}

/** The step view's least time between redraws at full speed, from its last redraw's cost. */
export function stepViewInterval(renderMs) {
  return Math.max(STEP_VIEW_MS, STEP_VIEW_SHARE * renderMs);
}

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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `field` is the page's fieldRefresh (field-refresh.js): a run fetches and draws its own.
 * `blockedByDivergence(what)` (settings-change.js) says why a diverged session cannot train.
 */
export function trainingRun({ store, api, enqueue, applySession, field, blockedByDivergence = () => false }) {
  let chunk = 8;
  let runs = 0; // each run's number: a run stopped while it waits must not carry on in the next one

  /** The most iterations one request may ask for (the server's limits on work). */
  function workLimit(session) {
    const limits = store.state.options?.limits ?? {};
    const batch = Math.min(session.config.batch_size ?? 32, session.trace.batch.a0[0]?.length ?? 1);
    const params = session.network.weights.reduce((n, W, i) => n + W.length * (W[0]?.length ?? 0) + session.network.biases[i].length, 0);
    const byWork = Math.floor((limits.max_train_work ?? 2e9) / Math.max(1, batch * params));
    return Math.max(1, Math.min(MAX_CHUNK, limits.max_iterations ?? 10000, byWork));
  }

  /**
   * Train until stopped (or `target` iterations). Pipelined: while the server
   * computes chunk k, the page draws chunk k − 1's results, so the drawing costs
   * no training time. At full speed chunks are sized so that a whole cycle
   * (train + field + its share of drawing) takes about CYCLE_MS; at a chosen
   * speed each cycle waits out its period, and every state is shown.
   */
  async function run(mode, target) {
    const from = store.state.session?.cursor.iteration ?? 0;
    const run = ++runs;
    const mine = () => store.state.training?.run === run;
    store.set({ playing: false, training: { run, mode, target, done: 0, startedAt: performance.now(), rate: 0, from }, message: null });
    const stats = { iterations: 0, updates: 0, started: performance.now() };
    let applied = performance.now();
    let renderMs = 0; // the step view's last redraw
    let shown = null; // the newest state given to the views
    let drawn = null; // {next, fetched} fetched but not drawn yet
    let cycles = 0;

    const showAll = (next) => {
      const t0 = performance.now();
      applySession(next);
      applied = performance.now();
      renderMs = applied - t0;
      store.set({ live: null });
    };
    const draw = (item, every) => {
      const { next, fetched } = item;
      if (every || performance.now() - applied > stepViewInterval(renderMs)) showAll(next);
      else store.set({ live: next });
      shown = next;
      field.drawn(next);
      if (fetched) {
        const previous = store.state.field;
        const kept = { neurons: previous?.neurons, neuronInputs: previous?.neuronInputs, neuronResolution: previous?.neuronResolution }; // the last maps drawn
        store.set({ field: fetched.neurons || previous?.id !== fetched.id ? fetched : { ...fetched, ...kept } });
      }
      stats.updates += 1;
    };

    while (mine()) {
      const t = store.state.training;
      const session = shown ?? store.state.session;
      if (!session || session.diverged) break;
      const remaining = mode === "count" ? target - t.done : Infinity;
      if (remaining <= 0) break;
      const paced = pace(store.state.trainSpeed, session.steps.length);
      const t0 = performance.now();
      let n = 0;
      let serverMs = 0;
      if (paced?.walk) {
        // one step of the iteration: the stepper's own route, every step shown
        if (drawn) draw(drawn, true);
        drawn = null;
        const before = session.cursor.iteration;
        const next = await walkOneStep();
        if (!next) break;
        n = next.cursor.iteration - before;
        if (n > 0) {
          // a finished iteration: the boundary and the neurons at its new weights
          const fetched = await field.fetchField(next, true);
          field.drawn(next);
          if (fetched && store.state.session?.id === next.id) store.set({ field: fetched });
          stats.updates += 1;
        }
      } else {
        n = Math.max(1, Math.min(paced ? paced.chunk : chunk, remaining, workLimit(session)));
        const ok = await trainChunk(n, (ms) => (serverMs = ms));
        if (!ok) break;
        if (paced) {
          draw(drawn, true); // every state at a chosen speed
          drawn = null;
        }
      }
      const cycle = performance.now() - t0;
      stats.iterations += n;
      if (!paced) chunk = nextChunk(chunk, n, serverMs, cycle);
      const elapsed = (performance.now() - stats.started) / 1000;
      if (mine()) {
        store.set({ training: { ...store.state.training, done: t.done + n, rate: stats.iterations / elapsed, updatesPerSecond: stats.updates / elapsed } });
      }
      if ((drawn?.next ?? shown)?.diverged) break;
      if (paced && mine()) await sleep(Math.max(0, paced.periodMs - (performance.now() - t0)));
    }

    /** One step forward on the stepper's route; the state, or null when the request failed. */
    async function walkOneStep() {
      let next = null;
      await enqueue(async () => {
        if (!mine()) return;
        const s = store.state.session;
        next = await stateAfter(s, (since) => api.step(s.id, "forward", "step", since));
        applySession(next);
        shown = next;
      });
      return next;
    }

    /** `n` iterations on the fast path; false when stopped or failed. */
    async function trainChunk(n, tookMs) {
      let ok = false;
      const t0 = performance.now();
      await enqueue(async () => {
        if (!mine()) return;
        const id = store.state.session.id;
        // what changed since the newest state the page has, drawn or not yet
        const newest = drawn?.next ?? shown ?? store.state.session;
        const held = newest?.id === id ? newest : null;
        const trained = stateAfter(held, (since) => api.train(id, n, since)); // the server computes …
        if (drawn) draw(drawn, false); // … while the page draws the previous chunk
        drawn = null;
        const next = await trained;
        tookMs(performance.now() - t0);
        cycles += 1;
        // every hidden neuron every third chunk (they are 17× the boundary's values)
        const fetched = await field.fetchField(next, cycles % 3 === 1);
        drawn = { next, fetched };
        ok = true;
      });
      return ok;
    }

    const last = drawn;
    // the stepper resumes at the start of the next iteration, with the trained weights
    await enqueue(async () => {
      // A run stopped while it waited out its period ends late: a newer run may
      // have begun (or ended) meanwhile, and its states are newer than this one's.
      if (runs !== run) return;
      if (last && store.state.session?.id === last.next.id) draw(last, true);
      const final = last?.next ?? shown;
      if (final && store.state.session?.id === final.id && store.state.session !== final) applySession(final);
      store.set({ live: null });
    });
    const finished = mine() ? store.state.training : null;
    stats.seconds = (performance.now() - stats.started) / 1000;
    const end = store.state.session;
    if (store.state.training && !finished) return stats; // a newer run goes on: it reports itself
    store.set({ training: null, lastRun: { ...(finished ?? {}), ...stats, sessionId: end?.id ?? null, from, to: end?.cursor.iteration ?? from } });
    return stats;
  }

  return {
    trainCount(n) {
      if (store.state.training || blockedByDivergence("Training")) return Promise.resolve();
      return run("count", n);
    },
    toggleRun() {
      if (store.state.training) {
        store.set({ training: null });
        return Promise.resolve();
      }
      if (blockedByDivergence("Training")) return Promise.resolve();
      return run("run", Infinity);
    },
    stopTraining() {
      store.set({ training: null });
    },
    setTrainSpeed(speed) {
      store.set({ trainSpeed: speed });
    },
  };
}
