import assert from "node:assert/strict";
import { test } from "node:test";

import { classHeading, classNames, classPhrase } from "../../static/js/class-names.js";

const iris = { data: { inputs: [[1]], targets: [[1, 0, 0]], class_names: ["setosa", "versicolor", "virginica"] } };

test("a CSV's labels name the classes in the order of their numbers", () => {
  const names = classNames(iris, 3);
  assert.deepEqual(names, ["setosa", "versicolor", "virginica"]);
  assert.equal(classHeading(names, 2), "virginica");
  assert.equal(classPhrase(names, 0), "setosa");
});

test("without labels (or with a count that does not fit) classes go by number", () => {
  assert.equal(classNames({ data: { dataset: "three_blobs" } }, 3), null);
  assert.equal(classNames(iris, 2), null); // never a wrong name for a class
  assert.equal(classNames(null, 2), null);
  assert.equal(classHeading(null, 2), "2");
  assert.equal(classPhrase(null, 1), "class 1");
});
