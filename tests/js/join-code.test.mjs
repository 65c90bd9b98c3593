import assert from "node:assert/strict";
import { test } from "node:test";

import { joinProblem, tidyCode, waitSeconds } from "../../static/js/join-code.js";

test("a typed code reads as the API stores it", () => {
  assert.equal(tidyCode(" ab3 x-7k "), "AB3X7K");
  assert.equal(tidyCode("   "), "");
});

test("the wait comes from the API's 429 message", () => {
  const message = "too many unknown class codes from this address: check the code and try again in 42 s";
  assert.equal(waitSeconds(message), 42);
  assert.equal(waitSeconds("no number here"), null);
  assert.equal(waitSeconds(undefined), null);
});

test("each problem is said in words, naming the code as typed, tidied", () => {
  assert.equal(
    joinProblem("zz zzz2", 404, "no live class 'ZZZZZ2': …"),
    "No live class ZZZZZ2: check the code (or the class has ended), then try again.",
  );
  assert.equal(
    joinProblem("ABCDEF", 429, "… try again in 7 s"),
    "Too many unknown codes were tried from here: wait 7 s, then try again.",
  );
  assert.equal(
    joinProblem("ABCDEF", 429, "slow down"),
    "Too many unknown codes were tried from here: wait a minute, then try again.",
  );
  assert.match(joinProblem(" - ", 0, ""), /^Type the join code first/);
  assert.equal(
    joinProblem("ABCDEF", 0, "The server could not be reached (offline)."),
    "The class could not be checked: The server could not be reached (offline).",
  );
});
