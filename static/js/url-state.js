// Pure: a session's configuration and cursor <-> the query string of a share
// link. A declarative table (as TensorFlow Playground's state.ts) says which
// query parameter holds which configuration field. Configurations the table
// cannot say (explicit weights, the user's own samples) travel whole, as
// base64url JSON in `cfg`, with the weights at the start of the shown
// iteration. Opening a link asks the server for the same configuration
// fast-forwarded to iteration t (bit-identical to stepping there), at the
// same phase and layer.
import { PHASES } from "./phases.js";

const list = (sep) => ({
  write: (v) => v.join(sep),
  read: (s, parse) => s.split(sep).map(parse),
});

// [query parameter, path in the SessionConfig, kind]
const FIELDS = [
  ["layers", ["network", "layers"], "ints"],
  ["act", ["network", "activations"], "names"],
  ["init", ["network", "init", "method"], "name"],
  ["iseed", ["network", "init", "seed"], "int"],
  ["cost", ["cost"], "name"],
  ["lr", ["learning_rate"], "float"],
  ["data", ["data", "dataset"], "name"],
  ["size", ["data", "size"], "int"],
  ["noise", ["data", "noise"], "float"],
  ["dseed", ["data", "seed"], "int"],
  ["batch", ["batch_size"], "int"],
  ["seed", ["seed"], "int"],
  ["test", ["test_split"], "float"],
  // the update rule (absent: plain descent) and its settings; weight decay λ
  ["opt", ["optimizer", "name"], "name"],
  ["mu", ["optimizer", "momentum"], "float"],
  ["nesterov", ["optimizer", "nesterov"], "bool"],
  ["alpha", ["optimizer", "alpha"], "float"],
  ["beta1", ["optimizer", "beta1"], "float"],
  ["beta2", ["optimizer", "beta2"], "float"],
  ["eps", ["optimizer", "eps"], "float"],
  ["wd", ["weight_decay"], "float"],
];

const CURSOR = [
  ["t", "iteration", "int"],
  ["phase", "phase", "name"],
  ["layer", "layer", "int"],
];

function getPath(obj, path) {
  let v = obj;
  for (const k of path) {
    if (v === null || v === undefined) return undefined;
    v = v[k];
  }
  return v;
}

function setPath(obj, path, value) {
  let o = obj;
  for (const k of path.slice(0, -1)) {
    if (o[k] === undefined) o[k] = {};
    o = o[k];
  }
  o[path[path.length - 1]] = value;
}

function write(kind, v) {
  if (kind === "ints") return list("-").write(v);
  if (kind === "names") return list(".").write(v);
  if (kind === "bool") return v ? "1" : "0";
  return String(v); // a float's shortest round-trip form: exact
}

class UrlStateError extends Error {}

function read(kind, s, param) {
  const int = (x) => {
    if (!/^\d+$/.test(x)) throw new UrlStateError(`${param}: "${x}" is not a whole number`);
    return Number(x);
  };
  const name = (x) => {
    if (!/^[a-z_]+$/.test(x)) throw new UrlStateError(`${param}: "${x}" is not a name`);
    return x;
  };
  switch (kind) {
    case "ints":
      return list("-").read(s, int);
    case "names":
      return list(".").read(s, name);
    case "int":
      return int(s);
    case "name":
      return name(s);
    case "bool":
      if (s !== "0" && s !== "1") throw new UrlStateError(`${param}: "${s}" is not 0 or 1`);
      return s === "1";
    default: {
      const x = Number(s);
      if (s.trim() === "" || !Number.isFinite(x)) throw new UrlStateError(`${param}: "${s}" is not a number`);
      return x;
    }
  }
}

function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(s) {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/** Can the table say this configuration (no explicit weights, a named data set)? */
function isCompact(config) {
  return !config.network.weights && config.data && config.data.dataset !== undefined;
}

/** Does the configuration's optimizer carry arrays from one iteration to the next? */
const carriesState = (config) => Boolean(config.optimizer) && config.optimizer.name !== "sgd";

/**
 * The query string (without "?") for a session: its configuration and cursor.
 * `network` is the session's network at the start of the current iteration,
 * used when the configuration has to travel whole — also when replaying more
 * than `maxReplay` iterations would make the link slow to open (or exceed the
 * server's max_fast_forward), and when a replay would not give this state
 * (`replayable` false, the API's history.replayable): then the weights travel instead.
 * Null when no link can give this state: an optimizer's velocities or moments past
 * iteration 0 are only reproduced by a replay (the session's export carries them).
 */
export function encodeState(config, cursor, network = null, maxReplay = Infinity, replayable = true) {
  const params = new URLSearchParams();
  const replay = replayable && cursor.iteration <= maxReplay;
  if (isCompact(config) && (replay || !network)) {
    for (const [param, path, kind] of FIELDS) {
      const v = getPath(config, path);
      if (v !== undefined && v !== null) params.set(param, write(kind, v));
    }
    for (const [param, key, kind] of CURSOR) params.set(param, write(kind, cursor[key]));
    return params.toString();
  }
  // whole: the weights at the start of this iteration, resumed at this cursor
  if (network && cursor.iteration > 0 && carriesState(config)) return null;
  const whole = JSON.parse(JSON.stringify(config));
  delete whole.state;
  delete whole.fast_forward;
  if (network) {
    whole.network = {
      layers: network.layers,
      activations: network.activations,
      weights: network.weights,
      biases: network.biases,
    };
  }
  whole.state = { iteration: cursor.iteration, phase: cursor.phase, layer: cursor.layer };
  params.set("cfg", toBase64Url(JSON.stringify(whole)));
  return params.toString();
}

/**
 * The POST /api/v1/sessions body a query string asks for, or null when it
 * holds no state. Throws an Error with a readable message when it is malformed.
 */
export function decodeState(search) {
  const params = new URLSearchParams(search);
  if (params.has("cfg")) {
    let config;
    try {
      config = JSON.parse(fromBase64Url(params.get("cfg")));
    } catch {
      throw new UrlStateError("cfg: the link's configuration is damaged (not base64url JSON)");
    }
    if (!config || typeof config !== "object") throw new UrlStateError("cfg: not a configuration");
    return config;
  }
  if (!params.has("layers")) return null;
  const config = {};
  for (const [param, path, kind] of FIELDS) {
    if (params.has(param)) setPath(config, path, read(kind, params.get(param), param));
  }
  const cursor = { iteration: 0, phase: "forward", layer: 1 };
  for (const [param, key, kind] of CURSOR) {
    if (params.has(param)) cursor[key] = read(kind, params.get(param), param);
  }
  if (!PHASES.includes(cursor.phase)) throw new UrlStateError(`phase: "${cursor.phase}" is not a phase`);
  if (cursor.iteration > 0) config.fast_forward = cursor.iteration;
  config.state = { phase: cursor.phase, layer: cursor.layer };
  return config;
}
