import assert from "node:assert/strict";
import test from "node:test";

import { requestQueue } from "../../static/js/request-queue.js";
import { Store, initialState } from "../../static/js/store.js";
import { trainingRun } from "../../static/js/training-run.js";

/** A session at `iteration`: just what a run reads (full states, never deltas). */
function state(iteration) {
  return {
    id: "s1",
    version: iteration,
    diverged: false,
    cursor: { iteration, index: 0 },
    steps: [{}, {}, {}, {}, {}, {}, {}, {}],
    config: { batch_size: 4 },
    network: { weights: [[[1, 2]]], biases: [[0]] },
    trace: { batch: { a0: [[0, 0, 0, 0]] } },
    cost_history: [],
  };
}

/** A page's wiring around trainingRun, with a server that trains in `serverMs`. */
function page(serverMs) {
  const store = new Store(initialState());
  let iteration = 0;
  const api = {
    async train(_id, n) {
      await new Promise((resolve) => setTimeout(resolve, serverMs));
      iteration += n;
      return state(iteration);
    },
  };
  const { enqueue } = requestQueue({ store, onError: async (err) => assert.fail(err) });
  const field = { fetchField: async () => null, drawn() {} };
  const applySession = (session) => store.set({ session });
  store.set({ session: state(0) });
  return { store, runs: trainingRun({ store, api, enqueue, applySession, field }) };
}

for (const [serverMs, count] of [[60, 2000], [5, 200]]) {
  // a new run that outlasts the stopped run's wait, and one that ends within it
  test(`a paced run stopped in its wait leaves a newer run's states alone (${serverMs} ms a chunk)`, async () => {
    const { store, runs } = page(serverMs);
    runs.setTrainSpeed(5); // one iteration every 200 ms
    const paced = runs.toggleRun();
    while ((store.state.session?.cursor.iteration ?? 0) < 2) await new Promise((r) => setTimeout(r, 5));
    runs.toggleRun(); // stopped while it sleeps: it notices only at the end of its period
    runs.setTrainSpeed(null);
    const behind = []; // every moment the page showed an older iteration than it had shown
    let newest = 0;
    store.addEventListener("change", () => {
      const shown = (store.state.live ?? store.state.session).cursor.iteration;
      if (store.state.training && shown < newest) behind.push([newest, shown]);
      newest = Math.max(newest, shown);
    });
    const full = runs.trainCount(count);
    await Promise.all([paced, full]);
    assert.deepEqual(behind, []);
    assert.equal(store.state.session.cursor.iteration >= count, true);
    assert.equal(store.state.live, null);
  });
}
