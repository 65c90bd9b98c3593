import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiError } from "../../static/js/api.js";
import { requestQueue } from "../../static/js/request-queue.js";
import { sessionReplacer } from "../../static/js/session-replace.js";
import { Store, initialState } from "../../static/js/store.js";

/** A page with an old session "s0"; the fake server answers createSession with `answer(body)`. */
function page(answer = null) {
  let made = 0;
  const respond = answer ?? ((body) => ({ id: `s${++made}`, body }));
  const store = new Store(initialState());
  const calls = [];
  const api = {
    createSession: async (body) => {
      calls.push(["create", body]);
      return respond(body);
    },
    remove: async (id) => {
      calls.push(["remove", id]);
    },
  };
  const errors = [];
  const queue = requestQueue({ store, onError: async (err) => errors.push(err) });
  const applySession = (session) => store.set({ session });
  const replacer = sessionReplacer({ store, api, enqueue: queue.enqueue, applySession });
  store.set({
    session: { id: "s0" },
    playing: true,
    training: { mode: "run" },
    gradcheck: { id: "s0" },
    message: { kind: "info", text: "old" },
    configError: { message: "old" },
    focus: 1,
    lastPreset: "xor",
  });
  return { store, calls, errors, replacer };
}

const refusal = (message) => new ApiError(422, "invalid", message, "network.layers");

test("a new session shows, what belonged to the old one resets, and the old one is freed", async () => {
  const { store, calls, replacer } = page();
  const done = replacer.replaceSession({ network: {} });
  assert.equal(store.state.playing, false); // at once: no step or chunk runs on the old session
  assert.equal(store.state.training, null);
  await done;
  assert.equal(store.state.session.id, "s1");
  for (const key of ["gradcheck", "message", "configError", "focus", "lastPreset"]) assert.equal(store.state[key], null, key);
  assert.deepEqual(calls, [["create", { network: {} }], ["remove", "s0"]]);
});

test("a preset keeps its name; `after` says what the new session's page shows", async () => {
  const { store, replacer } = page();
  const message = { kind: "info", text: "imported" };
  await replacer.replaceSession({ preset: "spiral" }, { after: { message } });
  assert.equal(store.state.lastPreset, "spiral");
  assert.equal(store.state.message, message);
});

test("a refused body is reported by `refused` and leaves the old session", async () => {
  const { store, calls, errors, replacer } = page(() => {
    throw refusal("layers: too many");
  });
  await replacer.replaceSession({ network: {} }, { refused: (err) => ({ configError: { message: err.message } }) });
  assert.equal(store.state.session.id, "s0");
  assert.deepEqual(store.state.configError, { message: "layers: too many" });
  assert.deepEqual(calls, [["create", { network: {} }]]); // nothing removed
  assert.deepEqual(errors, []);
});

test("without `refused`, and for errors that are not 4xx, the queue's handler gets the error", async () => {
  const { store, errors, replacer } = page(() => {
    throw refusal("bad");
  });
  await replacer.replaceSession({ network: {} });
  const down = new ApiError(503, "unavailable", "down", null);
  await replacer.replaceSession(async () => {
    throw down;
  }, { refused: () => ({ csvResult: { ok: false } }) });
  assert.deepEqual(errors.map((e) => e.message), ["bad", "down"]);
  assert.equal(store.state.csvResult, null);
  assert.equal(store.state.session.id, "s0");
});

test("a body made in the queued request: its 4xx goes to `refused`, null does nothing", async () => {
  const { store, calls, replacer } = page();
  await replacer.replaceSession(async () => {
    throw new ApiError(400, "invalid", "text: line 3 has 2 numbers", "text");
  }, { refused: (err) => ({ csvResult: { ok: false, message: err.message } }) });
  assert.deepEqual(store.state.csvResult, { ok: false, message: "text: line 3 has 2 numbers" });
  await replacer.replaceSession(async () => null);
  let made = null;
  await replacer.replaceSession(async () => (made = { data: {} }), { after: (s) => ({ csvResult: { ok: true, message: s.id } }) });
  assert.deepEqual(store.state.csvResult, { ok: true, message: "s1" });
  assert.deepEqual(calls, [["create", made], ["remove", "s0"]]);
});

test("inside a queued request, an old session the server forgot is not removed again", async () => {
  const { store, calls, replacer } = page();
  await replacer.replaceSessionNow({ network: {} }, { removeOld: false, after: { lastPreset: "xor" } });
  assert.equal(store.state.session.id, "s1");
  assert.equal(store.state.lastPreset, "xor");
  assert.deepEqual(calls, [["create", { network: {} }]]);
});

test("the request queue runs one request at a time, in order, and takes at most four", async () => {
  const store = new Store(initialState());
  const order = [];
  const busy = [];
  store.addEventListener("change", (e) => e.detail.keys.includes("busy") && busy.push(store.state.busy));
  const queue = requestQueue({ store, onError: async (err) => order.push(`error ${err.message}`) });
  const task = (name, ms) => async () => {
    order.push(`start ${name}`);
    await new Promise((resolve) => setTimeout(resolve, ms));
    order.push(`end ${name}`);
  };
  queue.enqueue(task("a", 20));
  queue.enqueue(async () => {
    throw new Error("b");
  });
  queue.enqueue(task("c", 0));
  queue.enqueue(task("d", 0));
  queue.enqueue(task("e", 0)); // a fifth while four wait: dropped
  await queue.settled();
  assert.deepEqual(order, ["start a", "end a", "error b", "start c", "end c", "start d", "end d"]);
  assert.deepEqual(busy, [true, false]);
});

test("a session with a live class is not freed here: its class moves first (live-class.js frees it)", async () => {
  const { store, calls, replacer } = page();
  store.set({ liveClass: { code: "ABCDEF", sessionId: "s0" } });
  await replacer.replaceSession({ preset: "xor" });
  assert.equal(store.state.session.id, "s1");
  assert.deepEqual(calls, [["create", { preset: "xor" }]]);
});
