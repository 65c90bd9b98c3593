// Plain-language explanation of each kind of step: two or three sentences
// saying what is computed and why. Pure: it only fills in layer numbers and names.
import { sup } from "./format.js";

const ACTIVATION_WORDS = {
  sigmoid: "the sigmoid",
  tanh: "tanh",
  relu: "ReLU",
  leaky_relu: "leaky ReLU",
  linear: "the identity (linear)",
  softmax: "softmax",
};

// How σ′ passes the error back, where "where it is flat" does not say it: the
// identity is never flat, and ReLU is flat (σ′ = 0) for every negative input.
const FLAT_WORDS = {
  linear: "the identity's σ′ is 1 everywhere, so the error passes on unchanged.",
  relu: "ReLU's σ′ is 0 wherever z was negative, so only the neurons that were active pass error on.",
};

const COST_WORDS = {
  quadratic: "the quadratic cost ½‖y − a‖²",
  cross_entropy: "the binary cross-entropy",
  softmax_cross_entropy: "the softmax cross-entropy",
};

/**
 * What each optimizer's update does, in words (ctx.optimizer is the trace's
 * {name, settings…}; its numbers are only repeated, never computed).
 */
function optimizerWords(o, l, s, eta) {
  switch (o.name) {
    case "momentum":
      return [
        `Momentum keeps a velocity v${s} for every weight and bias of layer ${l}: v ← μ·v + ∂C/∂W with μ = ${o.momentum}, a running sum of past gradients that fades by μ each iteration.`,
        o.nesterov
          ? `With Nesterov's correction the step is η·(∂C/∂W + μ·v) (η = ${eta}): it looks ahead along the velocity.`
          : `The step is η·v (η = ${eta}): directions the gradients agree on build up speed, and directions where they flip sign cancel out.`,
        "v is carried into the next iteration (it started at zero); the gradient itself is this iteration's, from the old weights.",
      ];
    case "rmsprop":
      return [
        `RMSProp keeps s${s}, a running average of each gradient's square: s ← α·s + (1 − α)·(∂C/∂W)² with α = ${o.alpha}.`,
        `The step is η·∂C/∂W / (√s + ε) (η = ${eta}, ε = ${o.eps}): each parameter's step is scaled by how large its gradients have been, so steep directions take smaller steps and flat ones larger.`,
        "s is carried into the next iteration (it started at zero).",
      ];
    case "adam":
      return [
        `Adam keeps two running averages per parameter: m, of the gradient (β₁ = ${o.beta1}), and v, of its square (β₂ = ${o.beta2}). Both start at zero, so early on they are too small.`,
        `m̂ = m / (1 − β₁ᵗ) and v̂ = v / (1 − β₂ᵗ) undo that bias; t = ${o.t} is the number of updates so far, this one included.`,
        `The step is η·m̂ / (√v̂ + ε) (η = ${eta}, ε = ${o.eps}): the averaged direction, scaled per parameter by the typical size of its gradient, so every parameter moves by about η.`,
      ];
    default:
      return null;
  }
}

/**
 * Sentences for `step` ({phase, layer}); `ctx` gives {L, m, activation, cost, form, eta},
 * and optionally {optimizer (the trace's), weightDecay (λ)}.
 * Returns an array of strings.
 */
export function explain(step, ctx) {
  const l = step.layer;
  const s = sup(l);
  const prev = sup(l - 1);
  const next = sup(l + 1);
  const act = ACTIVATION_WORDS[ctx.activation] ?? ctx.activation;
  const batch =
    ctx.m > 1
      ? `Each of the ${ctx.m} columns is one sample of the batch, computed side by side.`
      : "There is one sample, so every matrix has a single column.";
  switch (step.phase) {
    case "forward":
      return [
        `Layer ${l} takes the previous layer's activations a${prev} and mixes them: row j of W${s} holds the weights of every connection into neuron j, so W${s}a${prev} gives each neuron its weighted input, and the bias b${s} shifts it.`,
        `The weighted input z${s} then goes through ${act} to give ${l < ctx.L ? `the activations a${s} that layer ${l + 1} will use` : `the network's output a${s}, which the cost compares with the target y`}. z${s} is kept because the backward pass needs σ′(z${s}).`,
        batch,
      ];
    case "output_error":
      if (ctx.form === "softmax_jacobian") {
        return [
          `The output error δ${s} says how much the cost would change if each output neuron's weighted input z${s} moved a little: it is the error signal backpropagation starts from.`,
          `With a softmax output every output depends on every z, so the gradient ∇ₐC of ${COST_WORDS[ctx.cost] ?? ctx.cost} is multiplied by the transposed Jacobian of softmax instead of an elementwise σ′; with the softmax cross-entropy this collapses to a${s} − y.`,
          "The cost C of this batch is known from here on.",
        ];
      }
      return [
        `The output error δ${s} says how much the cost would change if each output neuron's weighted input z${s} moved a little: it is the error signal backpropagation starts from.`,
        `It is the gradient of ${COST_WORDS[ctx.cost] ?? ctx.cost} with respect to the outputs, ∇ₐC, multiplied entry by entry (⊙) by σ′(z${s}), how steeply ${act} responds at each neuron.`,
        "The cost C of this batch is known from here on.",
      ];
    case "backward":
      return [
        `The error moves one layer back. Neuron k of layer ${l} fed neuron j of layer ${l + 1} through the weight W${next}[j][k], so its share of the blame is the sum over j of W${next}[j][k]·δ${next}[j]: that is column k of W${next}, which is why the transpose (W${next})ᵀ carries δ${next} back.`,
        `Multiplying entry by entry with σ′(z${s}) turns that blame into δ${s}, the error at layer ${l}'s weighted inputs: ${FLAT_WORDS[ctx.activation] ?? `a neuron where ${act} is flat at its input passes little error on.`}`,
      ];
    case "gradients":
      return [
        `The gradient of the cost with respect to the weight W${s}[j][k] is the error at its receiving neuron times the activation that flowed through it: δ${s}[j]·a${prev}[k]. For a whole layer that is the outer product δ${s}(a${prev})ᵀ.`,
        ctx.m > 1
          ? `The product δ${s}(a${prev})ᵀ adds up the ${ctx.m} samples' contributions, and the factor 1/m = 1/${ctx.m} turns that sum into the batch average. The bias gradient is the average of δ${s} over the columns.`
          : `With one sample, 1/m = 1 and the bias gradient is δ${s} itself.`,
        "Every gradient of this iteration uses the weights as they were before any update.",
        ...(ctx.weightDecay
          ? [`Weight decay adds λ·W${s} (λ = ${ctx.weightDecay}) to ∂C/∂W${s}: the cost includes (λ/2)·Σ‖W‖², which pulls every weight towards zero (biases are not decayed).`]
          : []),
      ];
    case "update":
      if (ctx.optimizer && optimizerWords(ctx.optimizer, l, s, ctx.eta)) {
        return [...optimizerWords(ctx.optimizer, l, s, ctx.eta), "Layers are updated from the output back to layer 1; each one used the old weights for its gradient."];
      }
      return [
        `Gradient descent moves every weight and bias of layer ${l} against its gradient, by the learning rate η = ${ctx.eta} times that gradient: W${s} ← W${s} − η·∂C/∂W${s}.`,
        "Weights whose gradient is positive go down and those whose gradient is negative go up, which lowers the cost for this batch if η is small enough.",
        `Layers are updated from the output back to layer 1; each one used the old weights for its gradient.`,
      ];
    default:
      return [];
  }
}
