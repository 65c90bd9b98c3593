import assert from "node:assert/strict";
import { test } from "node:test";
import { copySource, stashCopy, takeCopy } from "../../static/js/class-copy.js";

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

test("after the class ended, its last export is the copy's source: the server is not asked", async () => {
  const last = { network: { layers: [2, 1] }, state: { iteration: 7 } };
  const asked = [];
  const current = async () => {
    asked.push("GET");
    return { export: { other: true } };
  };
  assert.deepEqual(await copySource(last, current), last);
  assert.deepEqual(asked, []);
});

test("while the class is live, the copy starts from the class's export now", async () => {
  const now = { network: { layers: [2, 2, 1] } };
  assert.deepEqual(await copySource(null, async () => ({ code: "ABCDEF", export: now })), now);
  assert.equal(await copySource(null, async () => ({ code: "ABCDEF" })), null);
});

test("a failure to ask reaches the caller", async () => {
  await assert.rejects(
    copySource(null, async () => {
      throw new Error("no live class");
    }),
    /no live class/,
  );
});
