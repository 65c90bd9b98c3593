import assert from "node:assert/strict";
import { test } from "node:test";
import { stashCopy, takeCopy } from "../../static/js/class-copy.js";

function memoryStorage() {
  const items = new Map();
  return {
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k),
  };
}

test("a stashed export is taken once, exactly as it was", () => {
  const storage = memoryStorage();
  const config = { network: { layers: [2, 2, 2], weights: [[[0.1 + 0.2, 1e-300]]] }, state: { iteration: 3 } };
  stashCopy(config, storage);
  assert.deepEqual(takeCopy(storage), config);
  assert.equal(takeCopy(storage), null);
});

test("nothing stashed, or damaged text, gives null", () => {
  const storage = memoryStorage();
  assert.equal(takeCopy(storage), null);
  storage.setItem("backprop-lens:copy", "{not json");
  assert.equal(takeCopy(storage), null);
  assert.equal(takeCopy(undefined), null);
});
