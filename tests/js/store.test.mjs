import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { Store, initialState } from "../../static/js/store.js";

const STATIC = new URL("../../static/js/", import.meta.url);

function sources(dir = STATIC) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const url = new URL(entry.name + (entry.isDirectory() ? "/" : ""), dir);
    if (entry.isDirectory()) return sources(url);
    return entry.name.endsWith(".js") ? [[url.pathname.split("/static/js/")[1], readFileSync(url, "utf8")]] : [];
  });
}

/** Index just past the string, template literal or ${…} expression starting at `i`. */
function skip(src, i) {
  const quote = src[i];
  for (let j = i + 1; j < src.length; j += 1) {
    if (src[j] === "\\") j += 1;
    else if (quote === "`" && src.startsWith("${", j)) j = skipBraces(src, j + 1) - 1;
    else if (src[j] === quote) return j + 1;
  }
  throw new Error(`unterminated string at ${i}`);
}

/** Index just past the bracket that closes the one at `i`, skipping strings. */
function skipBraces(src, i) {
  let depth = 0;
  for (let j = i; j < src.length; j += 1) {
    const c = src[j];
    if (c === '"' || c === "'" || c === "`") j = skip(src, j) - 1;
    else if ("{[(".includes(c)) depth += 1;
    else if ("}])".includes(c) && --depth === 0) return j + 1;
  }
  throw new Error(`unbalanced brackets at ${i}`);
}

/** The top-level keys of every `.set({ … })` object literal in `src` ("..." for a spread). */
function setKeys(src) {
  const keys = [];
  for (const match of src.matchAll(/\.set\(\s*\{/g)) {
    const open = match.index + match[0].length - 1;
    const body = src.slice(open + 1, skipBraces(src, open) - 1);
    let start = 0;
    const segments = [];
    for (let j = 0; j < body.length; j += 1) {
      const c = body[j];
      if (c === '"' || c === "'" || c === "`") j = skip(body, j) - 1;
      else if ("{[(".includes(c)) j = skipBraces(body, j) - 1;
      else if (c === ",") {
        segments.push(body.slice(start, j));
        start = j + 1;
      }
    }
    segments.push(body.slice(start));
    for (const s of segments.map((x) => x.trim()).filter(Boolean)) {
      keys.push(s.startsWith("...") ? "..." : /^[A-Za-z_$][\w$]*/.exec(s)[0]);
    }
  }
  return keys;
}

test("the scanner finds the top-level keys of set({ … }) calls", () => {
  const src = 'store.set({ a: { b: 1, c: `x, ${y({ d })}` }, e, f: "g, h" }); m.set(k, v); s.set({ ...p });';
  assert.deepEqual(setKeys(src), ["a", "e", "f", "..."]);
});

test("every key a module sets or reads is declared in initialState()", () => {
  const declared = new Set(Object.keys(initialState()));
  const undeclared = [];
  let calls = 0;
  for (const [file, src] of sources()) {
    const keys = setKeys(src);
    calls += keys.length;
    for (const key of keys) if (!declared.has(key)) undeclared.push(`${file}: set ${key}`);
    for (const [, key] of src.matchAll(/store\.state\.([A-Za-z_$][\w$]*)/g)) {
      if (!declared.has(key)) undeclared.push(`${file}: reads ${key}`);
    }
  }
  assert.ok(calls > 50, `only ${calls} keys found: is the scan still finding set({ … }) calls?`);
  assert.deepEqual(undeclared, []);
});

test("Store.set refuses a key initialState() does not declare", () => {
  const store = new Store(initialState());
  assert.throws(() => store.set({ mesage: null }), /"mesage" is not a state key/);
  assert.equal("mesage" in store.state, false);
});

test("Store.set tells listeners only the keys whose values changed", () => {
  const store = new Store(initialState());
  const seen = [];
  store.addEventListener("change", (e) => seen.push(e.detail.keys));
  store.set({ digits: 4, focus: 2 });
  store.set({ focus: 2 });
  assert.deepEqual(seen, [["focus"]]);
  assert.equal(store.state.focus, 2);
});
