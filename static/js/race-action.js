// The optimizer race: each lane trained from the session's configuration on the
// server's fast path (POST /api/v1/train), its costs kept for the race card.
import { ApiError } from "./api.js";
import { raceBody } from "./race.js";

export function raceActions({ store, api, enqueue }) {
  return {
    /** lanes: [{optimizer: {name, settings…}, learningRate}]; each trains `iterations` times. */
    race(lanes, iterations) {
      return enqueue(async () => {
        const s = store.state.session;
        const results = [];
        for (const lane of lanes) {
          try {
            const answer = await api.trainProblem(raceBody(s.config, lane, iterations));
            results.push({ ...lane, costs: answer.cost_history, divergedAt: answer.diverged_at });
          } catch (err) {
            if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
              store.set({ race: { error: err.message, id: s.id } });
              return;
            }
            throw err;
          }
        }
        store.set({ race: { id: s.id, iterations, lanes: results } });
      });
    },
  };
}
