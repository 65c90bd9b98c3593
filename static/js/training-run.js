// Training runs: train N iterations, or run until paused, on the server's fast
// path, in chunks sized so that the boundary is redrawn about ten times a
// second. Goes through main.js's request queue and applySession, and writes
// only to the store. No math here.
import { stateAfter } from "./session-delta.js";

const CYCLE_MS = 92; // one chunk + its redraw: ≥ 10 boundary updates per second
const MAX_CHUNK = 5000;
// While training continuously the step view (hundreds of table cells) is
// redrawn at most this often; the boundary, the curve and the accuracy follow
// every chunk (store.state.live). The stepper gets the last state at the end.
const STEP_VIEW_MS = 2000;

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

/** `field` is the page's fieldRefresh (field-refresh.js): a run fetches and draws its own. */
export function trainingRun({ store, api, enqueue, applySession, field }) {
  let chunk = 8;

  /** The most iterations one request may ask for (the server's limits on work). */
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
    let drawn = null; // {next, fetched} fetched but not drawn yet
    let cycles = 0;

    const draw = (item) => {
      const { next, fetched } = item;
      if (performance.now() - applied > STEP_VIEW_MS) {
        applySession(next);
        applied = performance.now();
        store.set({ live: null });
      } else {
        store.set({ live: next });
      }
      shown = next;
      field.drawn(next);
      if (fetched) {
        const previous = store.state.field;
        store.set({ field: fetched.neurons || !previous ? fetched : { ...fetched, neurons: previous.neurons } });
      }
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
        // what changed since the newest state the page has, drawn or not yet
        const newest = drawn?.next ?? shown ?? store.state.session;
        const held = newest?.id === id ? newest : null;
        const trained = stateAfter(held, (since) => api.train(id, n, since)); // the server computes …
        if (drawn) draw(drawn); // … while the page draws the previous chunk
        drawn = null;
        const next = await trained;
        serverMs = performance.now() - t0;
        cycles += 1;
        // every hidden neuron every third chunk (they are 17× the boundary's values)
        const fetched = await field.fetchField(next, cycles % 3 === 1);
        drawn = { next, fetched };
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
  };
}
