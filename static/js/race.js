// Pure: the optimizer race — the same network and data trained with two or
// three update rules (POST /api/v1/train, one request per rule), their cost
// curves on one chart. Builds the requests and places the API's costs on the
// chart; it computes no cost itself.

export const RACE_COLOURS = ["race-0", "race-1", "race-2"];

/**
 * The /train body for one lane ({optimizer: {name, settings…}, learningRate}):
 * the session's network (its initial parameters or init), cost, data, batch size and
 * seed, so every lane starts from the same network and sees the same batches.
 */
export function raceBody(config, lane, iterations) {
  const body = {
    network: config.network,
    cost: config.cost,
    data: config.data,
    learning_rate: lane.learningRate,
    batch_size: config.batch_size,
    seed: config.seed ?? 0,
    iterations,
  };
  if (lane.optimizer && lane.optimizer.name !== "sgd") body.optimizer = lane.optimizer;
  if (config.weight_decay) body.weight_decay = config.weight_decay;
  return body;
}

/** The largest finite cost of all lanes (the chart's top), or 1 when there is none. */
export function raceTop(lanes) {
  let top = 0;
  for (const lane of lanes) for (const c of lane.costs) if (c !== null && Number.isFinite(c) && c > top) top = c;
  return top > 0 ? top : 1;
}

/**
 * A lane's costs as SVG polyline point lists (one per unbroken run: a null cost,
 * where training diverged, breaks the line), in a width × height box whose
 * x runs over iterations 0 … iterations − 1 and y from 0 (bottom) to `top`.
 */
export function curveRuns(costs, iterations, top, width, height) {
  const runs = [];
  let run = [];
  const span = Math.max(1, iterations - 1);
  costs.forEach((c, t) => {
    if (c === null || !Number.isFinite(c)) {
      if (run.length) runs.push(run.join(" "));
      run = [];
      return;
    }
    const x = (t / span) * width;
    const y = height - (Math.min(c, top) / top) * height;
    run.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  if (run.length) runs.push(run.join(" "));
  return runs;
}

/** A lane's name in the legend: "Adam (η = 0.01)". */
export function laneTitle(lane) {
  const names = { sgd: "sgd", momentum: lane.optimizer.nesterov ? "Nesterov momentum" : "momentum", rmsprop: "RMSProp", adam: "Adam" };
  return `${names[lane.optimizer.name] ?? lane.optimizer.name} (η = ${lane.learningRate})`;
}
