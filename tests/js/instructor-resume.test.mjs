import assert from "node:assert/strict";
import { test } from "node:test";
import { isReload, recallSession, rememberSession } from "../../static/js/instructor-resume.js";

function memoryStorage() {
  const items = new Map();
  return {
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k),
  };
}

const LIVE = { code: "7KQ2MX", join_url: "http://h/class/7KQ2MX", qr_url: "/api/v1/sessions/a/class/qr.svg", sessionId: "a" };

test("the session and its live class come back as they were remembered, until forgotten", () => {
  const storage = memoryStorage();
  rememberSession("a", LIVE, storage);
  assert.deepEqual(recallSession(storage), { id: "a", liveClass: LIVE });
  assert.deepEqual(recallSession(storage), { id: "a", liveClass: LIVE }); // (kept: a second reload)
  rememberSession("b", null, storage);
  assert.deepEqual(recallSession(storage), { id: "b", liveClass: null });
  rememberSession(null, LIVE, storage);
  assert.equal(recallSession(storage), null);
});

test("nothing remembered, damaged text or no storage gives null", () => {
  const storage = memoryStorage();
  assert.equal(recallSession(storage), null);
  storage.setItem("backprop-lens:session", "{not json");
  assert.equal(recallSession(storage), null);
  storage.setItem("backprop-lens:session", JSON.stringify({ id: 3 }));
  assert.equal(recallSession(storage), null);
  storage.setItem("backprop-lens:session", JSON.stringify({ id: "a", liveClass: { code: 1 } }));
  assert.deepEqual(recallSession(storage), { id: "a", liveClass: null });
  assert.equal(recallSession(undefined), null);
  rememberSession("a", null, undefined); // no storage: nothing happens
});

test("a reload is told apart from a link followed into the tab", () => {
  const nav = (type) => ({ getEntriesByType: () => [{ type }] });
  assert.equal(isReload(nav("reload")), true);
  assert.equal(isReload(nav("navigate")), false);
  assert.equal(isReload({ getEntriesByType: () => [] }), false);
  assert.equal(isReload(undefined), false);
});
