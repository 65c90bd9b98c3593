// The only module that talks to the server. Every function returns the
// parsed JSON of docs/API.md or throws an ApiError carrying the server's
// {"error": {"code", "message", "field"}}.

const BASE = "/api/v1";

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field ?? null;
  }
}

/** "?a=1&b=2" from the defined fields of `query` (none: ""). */
function queryString(query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) params.set(k, String(v));
  const text = params.toString();
  return text ? `?${text}` : "";
}

async function request(method, path, body) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(BASE + path, init);
  } catch (err) {
    throw new ApiError(0, "network", `The server could not be reached (${err.message}).`, null);
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const e = data?.error;
    throw new ApiError(
      response.status,
      e?.code ?? "http_error",
      e?.message ?? `The server answered ${response.status}.`,
      e?.field ?? null,
    );
  }
  return data;
}

/** A session route's path, asking for a delta since a version when one is given. */
function sessionPath(id, tail, since) {
  return `/sessions/${encodeURIComponent(id)}${tail}${since ? queryString({ since }) : ""}`;
}

export const api = {
  options: () => request("GET", "/options"),
  datasets: () => request("GET", "/datasets"),
  presets: () => request("GET", "/presets"),
  createSession: (config) => request("POST", "/sessions", config),
  // `since`: the version of the state the page holds; the answer is then a delta
  // from it (session-delta.js merges it), without it the whole state
  getSession: (id, since) => request("GET", sessionPath(id, "", since)),
  step: (id, direction, unit, since) => request("POST", sessionPath(id, "/step", since), { direction, unit }),
  seek: (id, index, since) => request("POST", sessionPath(id, "/seek", since), { index }),
  reset: (id, since) => request("POST", sessionPath(id, "/reset", since)),
  patch: (id, body, since) => request("PATCH", sessionPath(id, "", since), body),
  remove: (id) => request("DELETE", `/sessions/${encodeURIComponent(id)}`),
  // training, the boundary and the data, sharing and export
  train: (id, iterations, since) => request("POST", sessionPath(id, "/train", since), { iterations }),
  // query {resolution, hidden?, digits?}
  field: (id, query) => request("GET", `/sessions/${encodeURIComponent(id)}/field${queryString(query)}`),
  sessionData: (id) => request("GET", `/sessions/${encodeURIComponent(id)}/data`),
  exportSession: (id) => request("GET", `/sessions/${encodeURIComponent(id)}/export`),
  gradcheck: (body) => request("POST", "/gradcheck", body),
  // practice: an answer to a step of the session's current iteration, checked (nothing moves);
  // a problem by hand from a seed; one traced iteration (the worksheet's answer key)
  check: (id, body) => request("POST", `/sessions/${encodeURIComponent(id)}/check`, body),
  exercise: (body) => request("POST", "/exercises", body),
  backprop: (body) => request("POST", "/backprop", body),
  // stateless training from a configuration (the optimizer race)
  trainProblem: (body) => request("POST", "/train", body),
  // one entry written out by the engine: query {quantity, row, column?, phase?, layer?}
  terms: (id, query) => request("GET", `/sessions/${encodeURIComponent(id)}/terms${queryString(query)}`),
  // the file defines the problem: its columns say n0 and nL (targets: `targetColumns`, 0-based,
  // or the header's names, or the last column), its targets the output layer and cost;
  // `standardise`: inputs rescaled to mean 0, sd 1 (the server computes it)
  csv: (text, { targetColumns = null, standardise = false, classes = null } = {}) =>
    request("POST", "/datasets/csv", {
      text,
      ...(targetColumns ? { target_columns: targetColumns } : {}),
      standardise,
      ...(typeof classes === "boolean" ? { classes } : {}),
    }),
  // each sample's class (or value), the confusion matrix, per-class accuracy, the mistakes,
  // and the samples in the inputs' principal plane
  predictions: (id) => request("GET", `/sessions/${encodeURIComponent(id)}/predictions`),
  // live classes: the instructor's routes take the session id, followers' the code
  startClass: (id) => request("POST", `/sessions/${encodeURIComponent(id)}/class`),
  moveClass: (id, code, fromSession) =>
    request("POST", `/sessions/${encodeURIComponent(id)}/class`, { code, from_session: fromSession }),
  endClass: (id) => request("DELETE", `/sessions/${encodeURIComponent(id)}/class`),
  getClass: (id) => request("GET", `/sessions/${encodeURIComponent(id)}/class`),
  classState: (code) => request("GET", `/classes/${encodeURIComponent(code)}`),
  // the class's training views, read-only: the same answers as field/sessionData
  classField: (code, query) => request("GET", `/classes/${encodeURIComponent(code)}/field${queryString(query)}`),
  classData: (code) => request("GET", `/classes/${encodeURIComponent(code)}/data`),
  classPredictions: (code) => request("GET", `/classes/${encodeURIComponent(code)}/predictions`),
  classTerms: (code, query) => request("GET", `/classes/${encodeURIComponent(code)}/terms${queryString(query)}`),
  // class questions: the instructor asks and reveals by session id, followers answer by code
  askQuestion: (id, body) => request("POST", `/sessions/${encodeURIComponent(id)}/class/questions`, body),
  getQuestion: (id, qid) => request("GET", `/sessions/${encodeURIComponent(id)}/class/questions/${qid}`),
  // what: "close" | "revote" | "reveal"
  changeQuestion: (id, qid, what) => request("POST", `/sessions/${encodeURIComponent(id)}/class/questions/${qid}/${what}`),
  questionsCsvUrl: (id) => `${BASE}/sessions/${encodeURIComponent(id)}/class/questions.csv`,
  // with the follower id: its own answer to the current round comes back too (after a reload)
  classQuestion: (code, follower) =>
    request("GET", `/classes/${encodeURIComponent(code)}/question${follower ? `?follower=${encodeURIComponent(follower)}` : ""}`),
  answerQuestion: (code, body) => request("POST", `/classes/${encodeURIComponent(code)}/answers`, body),
  /**
   * Follow a class's events (EventSource: same origin, reconnects by itself with
   * Last-Event-ID). handlers: onState(state, seq) for a whole state, onDelta(delta, seq)
   * for what changed since the previous event's state, onEnd(reason, exported) with the
   * session's export as the class ended (a SessionConfig, or null), onQuestion(question, kind)
   * for a class question's `question`, `close` and `reveal` events, onOpen(), onError().
   * Returns a function that stops following.
   */
  followClass(code, handlers) {
    const source = new EventSource(`${BASE}/classes/${encodeURIComponent(code)}/events`);
    source.addEventListener("open", () => handlers.onOpen?.());
    source.addEventListener("state", (e) => handlers.onState(JSON.parse(e.data), Number(e.lastEventId)));
    source.addEventListener("delta", (e) => handlers.onDelta(JSON.parse(e.data), Number(e.lastEventId)));
    for (const kind of ["question", "close", "reveal"]) {
      source.addEventListener(kind, (e) => handlers.onQuestion?.(JSON.parse(e.data), kind));
    }
    source.addEventListener("end", (e) => {
      source.close();
      const data = JSON.parse(e.data);
      handlers.onEnd?.(data.reason, data.export ?? null);
    });
    source.addEventListener("error", () => handlers.onError?.(source.readyState === EventSource.CLOSED));
    return () => source.close();
  },
};
