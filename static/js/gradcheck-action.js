// The gradient check of the session as it stands: its network and batch go to
// POST /gradcheck, which compares backprop with central differences.
import { ApiError } from "./api.js";

/** Columns (the trace's samples-as-columns) as rows of samples, as the route takes them. */
const rows = (cols) => (cols.length ? cols[0].map((_, j) => cols.map((r) => r[j])) : []);

export function gradcheckActions({ store, api, enqueue }) {
  return {
    gradcheck() {
      return enqueue(async () => {
        const s = store.state.session;
        const body = {
          network: {
            layers: s.network.layers,
            activations: s.network.activations,
            weights: s.network.weights,
            biases: s.network.biases,
          },
          cost: s.config.cost,
          inputs: rows(s.trace.batch.a0),
          targets: rows(s.trace.batch.y),
          weight_decay: s.trace.weight_decay ?? 0, // the check includes the L2 term
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
  };
}
