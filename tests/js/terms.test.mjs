import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { formatNumber } from "../../static/js/format.js";
import {
  entryRef,
  layoutTerms,
  leafNote,
  refKey,
  refsOf,
  refTargets,
  sampleOf,
  sub,
  symbolOf,
  termsQuery,
} from "../../static/js/terms.js";

// The API's terms answers (tests/js/terms_fixture.py writes them from the app).
const F = JSON.parse(readFileSync(new URL("./fixtures/terms.json", import.meta.url), "utf8"));
const BATCH = { xor: 4, wide: 32, blobs: 30 };
const mOf = (name) => BATCH[name.split("_")[0]] ?? 1;

const text = (line) => line.tokens.map((t) => t.text).join("");
const texts = (layout) => layout.lines.map(text);
const tokens = (layout) => layout.lines.flatMap((l) => l.tokens);

test("sub and symbolOf write the math's names; two-digit indices get a comma", () => {
  assert.equal(sub(12), "₁₂");
  assert.equal(symbolOf({ quantity: "W", layer: 2, index: [1, 0] }), "W²₁₀");
  assert.equal(symbolOf({ quantity: "W", layer: 1, index: [12, 3] }), "W¹₁₂,₃");
  assert.equal(symbolOf({ quantity: "delta", layer: 1, index: [0, 7] }), "δ¹₀");
  assert.equal(symbolOf({ quantity: "delta", layer: 1, index: [0, 7] }, true), "δ¹₀ₓ");
  assert.equal(symbolOf({ quantity: "sigma_prime", layer: 1, index: [0, 0] }), "σ′(z¹₀)");
  assert.equal(symbolOf({ quantity: "weighted_error", layer: 1, index: [1, 0] }), "((W²)ᵀδ²)₁");
  assert.equal(symbolOf({ quantity: "y", layer: null, index: [2, 3] }), "y₂");
  assert.equal(symbolOf({ quantity: "J", layer: 2, index: [4, 0, 1] }), "J₀₁");
  assert.equal(symbolOf({ quantity: "dC_db", layer: 2, index: [1] }), "∂C/∂b²₁");
  assert.equal(symbolOf({ quantity: "W_new", layer: 2, index: [1, 0] }), "new W²₁₀");
});

test("δ¹₀ of the worked example: the sum behind it, its numbers, each level, the entry", () => {
  const layout = layoutTerms(F.delta1, { digits: 4 });
  assert.deepEqual(texts(layout), [
    "δ¹₀ = (W²₀₀·δ²₀ + W²₁₀·δ²₁) · σ′(z¹₀)",
    "= (0.4000·0.1385 + 0.5000·(−0.03810)) · 0.2413",
    "= (0.05540 + (−0.01905)) · 0.2413",
    "= 0.03635·0.2413",
    "= 0.008771",
  ]);
  assert.equal(layout.title, "δ¹₀");
  assert.equal(layout.where, "backward · layer 1");
  assert.equal(layout.exact, "0.008771354689486937");
  assert.equal(layout.hidden, 0);
});

test("every operand names its entry: leaves, the node that is the weighted error, the result", () => {
  const layout = layoutTerms(F.delta1, { digits: 4 });
  const numbers = layout.lines[1].tokens.filter((t) => t.ref);
  assert.deepEqual(
    numbers.map((t) => [t.text, refKey(t.ref)]),
    [
      ["0.4000", "W:2:0,0"],
      ["0.1385", "delta:2:0,0"],
      ["0.5000", "W:2:1,0"],
      ["−0.03810", "delta:2:1,0"],
      ["0.2413", "sigma_prime:1:0,0"],
    ],
  );
  const weighted = layout.lines[3].tokens.find((t) => t.text === "0.03635");
  assert.equal(refKey(weighted.ref), "weighted_error:1:0,0");
  const result = layout.lines[4].tokens.find((t) => t.kind === "num");
  assert.equal(refKey(result.ref), "delta:1:0,0");
  // the symbols line links the same entries
  assert.deepEqual(
    layout.lines[0].tokens.filter((t) => t.ref).map((t) => refKey(t.ref)),
    ["delta:1:0,0", "W:2:0,0", "delta:2:0,0", "W:2:1,0", "delta:2:1,0", "sigma_prime:1:0,0"],
  );
});

test("the result is the entry as the trace holds it, not the expression's own sum", () => {
  const answer = structuredClone(F.delta1);
  answer.value = 0.0087713; // a BLAS sum can differ in the last bits; the page shows `value`
  const layout = layoutTerms(answer, { digits: 6 });
  assert.equal(text(layout.lines.at(-1)), "= 0.00877130");
  assert.equal(layout.exact, "0.0087713");
});

test("every number written is one the engine sent, at the page's digits", () => {
  for (const [name, answer] of Object.entries(F)) {
    for (const digits of [2, 4, 6]) {
      const sent = new Set([formatNumber(answer.value, digits)]);
      const walk = (node) => {
        sent.add(formatNumber(node.value, digits));
        if (node.quantity === "const") sent.add(String(node.value));
        (node.args ?? []).forEach(walk);
      };
      walk(answer.expression);
      for (const t of tokens(layoutTerms(answer, { digits, m: mOf(name) }))) {
        if (t.kind !== "num") continue;
        const plus = t.text.startsWith("−") ? t.text : `+${t.text}`;
        assert.ok(sent.has(plus) || sent.has(t.text) || t.text === "0", `${name} @${digits}: ${t.text}`);
      }
    }
  }
});

test("the Digits setting decides how numbers are written", () => {
  assert.deepEqual(texts(layoutTerms(F.delta1, { digits: 2 })).slice(1, 2), ["= (0.40·0.14 + 0.50·(−0.038)) · 0.24"]);
});

test("functions are written out: sigmoid, tanh, leaky ReLU, ReLU's σ′, softmax", () => {
  assert.deepEqual(texts(layoutTerms(F.a2)), ["a²₀ = sigmoid(z²₀)", "= 1/(1 + e^(−z²₀))", "= 1/(1 + e^(−1.106))", "= 0.7514"]);
  assert.equal(texts(layoutTerms(F.wide_a1, { m: 32 }))[1], "= (e^(z¹₀) − e^(−z¹₀))/(e^(z¹₀) + e^(−z¹₀))");
  assert.equal(texts(layoutTerms(F.wide_a2, { m: 32 }))[1], "= max(0.01·z²₃, z²₃)");
  assert.deepEqual(texts(layoutTerms(F.xor_relu_prime, { m: 4 })), [
    "σ′(z¹₀) = step(z¹₀)",
    "= (1 if z¹₀ > 0, else 0)",
    "= (1 if 0.1257 > 0, else 0)",
    "= 1.000",
  ]);
  assert.deepEqual(texts(layoutTerms(F.softmax_a)), [
    "a²₁ = e^(z²₁)/(e^(z²₀) + e^(z²₁) + e^(z²₂))",
    "= e^(−0.2069)/(e^(0.2722) + e^(−0.2069) + e^(−0.1314))",
    "= 0.8131/(1.313 + 0.8131 + 0.8769)",
    "= 0.8131/3.003",
    "= 0.2708",
  ]);
});

test("∇ₐC per cost, with a and y; σ′ from a", () => {
  assert.deepEqual(texts(layoutTerms(F.grad_a)), ["(∇ₐC)₀ = a²₀ − y₀", "= 0.7514 − 0.01000", "= 0.7414"]);
  assert.equal(texts(layoutTerms(F.xor_grad_a, { m: 4 }))[0], "(∇ₐC)₀ = (a²₀ − y₀)/(a²₀ · (1 − a²₀))");
  const softmaxCe = texts(layoutTerms(F.blobs_grad_a, { m: 30 }));
  assert.equal(softmaxCe[0], "(∇ₐC)₂ = −y₂/a²₂");
  assert.ok(softmaxCe.every((line) => !/−0(?![.\d])/.test(line)), softmaxCe.join(" | ")); // never "−0"
  assert.deepEqual(texts(layoutTerms(F.sigma_prime2)), [
    "σ′(z²₁) = a²₁ · (1 − a²₁)",
    "= 0.7729 · (1 − 0.7729)",
    "= 0.7729·0.2271",
    "= 0.1755",
  ]);
  assert.deepEqual(texts(layoutTerms(F.wide_tanh_prime, { m: 32 })).slice(0, 2), ["σ′(z¹₀) = 1 − a¹₀·a¹₀", "= 1 − (−0.1624)·(−0.1624)"]);
});

test("δᴸ: the Hadamard form, the softmax Jacobian's sum with J's numbers, the a − y shortcut", () => {
  assert.deepEqual(texts(layoutTerms(F.delta2)), ["δ²₀ = (∇ₐC)₀·σ′(z²₀)", "= 0.7414·0.1868", "= 0.1385"]);
  const soft = layoutTerms(F.softmax_delta);
  assert.equal(text(soft.lines[0]), "δ²₁ = J₀₁·(∇ₐC)₀ + J₁₁·(∇ₐC)₁ + J₂₁·(∇ₐC)₂");
  assert.equal(text(soft.lines[1]), "= (−0.1184)·0.4372 + 0.1975·(−0.7292) + (−0.07907)·0.2920");
  const j = soft.lines[1].tokens.find((t) => t.text === "0.1975");
  assert.deepEqual([j.ref.quantity, j.ref.index], ["J", [0, 1, 1]]);
  assert.match(soft.notes.join(" "), /Jacobian at sample 0/);
  const shortcut = layoutTerms(F.blobs_delta, { m: 30 });
  assert.deepEqual(texts(shortcut), ["δ²₂ = a²₂ − y₂", "= 0.1148 − 0", "= 0.1148"]);
  assert.equal(shortcut.where, "output error · layer 2 · sample 3");
  assert.match(shortcut.notes.join(" "), /simplifies to a − y/);
});

test("the gradients are means over the batch: per-sample lines, folded past four, and the mean", () => {
  assert.deepEqual(texts(layoutTerms(F.dW2)), [
    "∂C/∂W²₁₀ = (1/1)·Σₓ δ²₁ₓ·a¹₀ₓ",
    "δ²₁·a¹₀ = (−0.03810)·0.5933 = −0.02260",
    "= (1/1)·(−0.02260)",
    "= −0.02260",
  ]);
  const folded = layoutTerms(F.wide_dW2, { m: 32 });
  assert.equal(folded.hidden, 28);
  assert.deepEqual(
    folded.lines.map((l) => l.label ?? l.kind),
    ["symbols", "x = 0", "x = 1", "x = 2", "fold", "x = 31", "numbers", "result"],
  );
  assert.equal(text(folded.lines[4]), "… 28 more samples …");
  assert.match(text(folded.lines[6]), /^= \(1\/32\)·\(0\.0003788 \+ 0\.003823 \+ 0\.0004304 \+ … 28 more samples … \+ 0\.01936\)$/);
  const all = layoutTerms(F.wide_dW2, { m: 32, unfolded: true });
  assert.equal(all.hidden, 0);
  assert.equal(all.lines.filter((l) => l.kind === "sample").length, 32);
  assert.equal(all.lines.at(-2).tokens.filter((t) => t.kind === "num").length, 32);
  // a bias gradient's terms are δ's entries themselves, each linked
  const bias = layoutTerms(F.wide_db3, { m: 32 });
  assert.equal(text(bias.lines[3]), "δ³₀ = −0.1320");
  assert.deepEqual(bias.lines[3].tokens.filter((t) => t.ref).map((t) => refKey(t.ref)), ["delta:3:0,2", "delta:3:0,2"]);
});

test("long sums fold to their first three terms and their last, until unfolded", () => {
  const layout = layoutTerms(F.wide_z2, { m: 32 });
  assert.equal(layout.hidden, 5);
  assert.equal(text(layout.lines[0]), "z²₃ = W²₃₀·a¹₀ + W²₃₁·a¹₁ + W²₃₂·a¹₂ + … 5 more terms … + b²₃");
  const all = layoutTerms(F.wide_z2, { m: 32, unfolded: true });
  assert.equal(all.lines[0].tokens.filter((t) => t.ref?.quantity === "W").length, 8);
  assert.equal(all.hidden, 0);
});

test("the update: W − η·∂C/∂W; η·∂C/∂W is not repeated as its own symbols", () => {
  assert.deepEqual(texts(layoutTerms(F.W2_new)), [
    "new W²₁₀ = W²₁₀ − η·∂C/∂W²₁₀",
    "= 0.5000 − 0.5000·(−0.02260)",
    "= 0.5000 − (−0.01130)",
    "= 0.5113",
  ]);
  assert.deepEqual(texts(layoutTerms(F.eta_dW2)), ["η·∂C/∂W²₁₀ = 0.5000·(−0.02260)", "= −0.01130"]);
});

test("termsQuery names the step that computes an entry; data and parameters have none", () => {
  const L = 2;
  assert.deepEqual(termsQuery({ quantity: "delta", layer: 2, index: [1, 0] }, L), {
    phase: "output_error",
    layer: 2,
    quantity: "delta",
    row: 1,
    column: 0,
  });
  assert.equal(termsQuery({ quantity: "delta", layer: 1, index: [0, 0] }, L).phase, "backward");
  assert.deepEqual(termsQuery({ quantity: "dC_db", layer: 1, index: [0] }, L), { phase: "gradients", layer: 1, quantity: "biases", row: 0 });
  assert.equal(termsQuery({ quantity: "eta_dC_dW", layer: 2, index: [1, 0] }, L).quantity, "eta_grad_weights");
  for (const quantity of ["W", "b", "y", "J", "eta"]) assert.equal(termsQuery({ quantity, layer: 1, index: [0, 0] }, L), null);
  assert.equal(termsQuery({ quantity: "a", layer: 0, index: [0, 0] }, L), null); // the input
  assert.match(leafNote("y"), /target/);
});

test("entryRef names an answer's entry as its leaves would", () => {
  for (const [name, key] of [
    ["delta1", "delta:1:0,0"],
    ["sigma_prime2", "sigma_prime:2:1,0"],
    ["dW2", "dC_dW:2:1,0"],
    ["b2_new", "b_new:2:1"],
    ["eta_dW2", "eta_dC_dW:2:1,0"],
    ["a2", "a:2:0,0"],
  ]) {
    assert.equal(refKey(entryRef(F[name])), key, name);
  }
  assert.equal(sampleOf(entryRef(F.blobs_delta)), 3);
  assert.equal(sampleOf(entryRef(F.dW2)), null);
});

test("entries map to the diagram: weights to edges, the rest to neurons; η to nothing", () => {
  assert.deepEqual(refTargets({ quantity: "W", layer: 2, index: [1, 0] }, 2), [{ edge: [2, 1, 0] }]);
  assert.deepEqual(refTargets({ quantity: "delta", layer: 2, index: [1, 3] }, 2), [{ neuron: [2, 1] }]);
  assert.deepEqual(refTargets({ quantity: "y", layer: null, index: [1, 3] }, 2), [{ neuron: [2, 1] }]);
  assert.deepEqual(refTargets({ quantity: "eta", layer: null, index: [] }, 2), []);
  const refs = refsOf(F.delta1.expression).map(refKey);
  assert.deepEqual(refs.sort(), ["W:2:0,0", "W:2:1,0", "delta:2:0,0", "delta:2:1,0", "sigma_prime:1:0,0", "weighted_error:1:0,0"]);
});
