// Where the training views' pictures come from. The views only render
// store.state.field and store.state.sessionData; whoever wires a page picks
// the source: the step page reads its own session (by id), a follower page
// reads the live class it follows (by join code, read-only routes).
// No math here: the server computes every value.

const BOUNDARY_RESOLUTION = 48;
const CURVE_RESOLUTION = 120; // points of a 1-D fit
const NEURON_RESOLUTION = 16;
// Significant digits of each value: the fields become colours and curves, never
// printed numbers, and 4 digits send a third of the bytes of all 17.
const FIELD_DIGITS = 4;
const fieldQuery = (resolution, hidden) => ({ resolution, hidden: hidden || undefined, digits: FIELD_DIGITS });

/** The step page's source: GET /sessions/{id}/field, /data and /predictions. */
export function sessionSource(api) {
  return {
    field: (session, resolution, hidden) => api.field(session.id, fieldQuery(resolution, hidden)),
    data: (session) => api.sessionData(session.id),
    predictions: (session) => api.predictions(session.id),
  };
}

/** A follower's source: GET /classes/{code}/field, /data and /predictions (the class's current session). */
export function classSource(api, code) {
  return {
    field: (_session, resolution, hidden) => api.classField(code, fieldQuery(resolution, hidden)),
    data: () => api.classData(code),
    predictions: () => api.classPredictions(code),
  };
}

/**
 * The boundary (or the 1-D fit) of `session`, and every hidden neuron's map if
 * `withNeurons`, as store.state.field holds it (null for 3 or more inputs). For
 * 1-D inputs one request brings both: the fit and each hidden neuron's curve over
 * the same x values (`neuronInputs`).
 */
export async function loadField(source, session, withNeurons) {
  const n0 = session.network.layers[0];
  if (n0 > 2) return null;
  const label = { iteration: session.cursor.iteration, id: session.id };
  const hiddenLayers = session.network.layers.length > 2;
  if (n0 === 1) {
    const field = await source.field(session, CURVE_RESOLUTION, withNeurons && hiddenLayers);
    const neurons = field.hidden ?? null;
    return { ...field, neurons, neuronResolution: CURVE_RESOLUTION, neuronInputs: neurons ? field.inputs : null, ...label };
  }
  const neuronsToo = withNeurons && hiddenLayers;
  const [field, neurons] = await Promise.all([
    source.field(session, BOUNDARY_RESOLUTION, false),
    neuronsToo ? source.field(session, NEURON_RESOLUTION, true) : Promise.resolve(null),
  ]);
  return { ...field, neurons: neurons?.hidden ?? null, neuronResolution: NEURON_RESOLUTION, neuronInputs: null, ...label };
}
