"""Each step's formula, and the formula each known mistake (engine.mistakes) computes
instead, as LaTeX with the step's layer numbers filled in.

A learner who made a mistake sees the formula they used beside the right one:

    backward, layer 1   right                 δ¹ = ((W²)ᵀ δ²) ⊙ σ′(z¹)
                        untransposed_weights  δ¹ = (W² δ²) ⊙ σ′(z¹)

Templates use $l (the step's layer), $next (l + 1), $prev (l − 1) and $q (the part
answered: W for weights, b for biases).
"""

from __future__ import annotations

from string import Template

__all__ = ["mistake_formula", "step_formula"]

T = r"^{\mathsf{T}}"
GRAD = r"\frac{\partial C}{\partial $q^{$l}}"
MEAN_W = r"\frac{1}{m}\, \delta^{$l} \left(a^{$prev}\right)" + T
MEAN_B = r"\frac{1}{m} \sum_{x} \delta^{$l}_{x}"

# The right formula of each step's answer: (phase, part) → template.
_RIGHT: dict[tuple[str, str], str] = {
    ("forward", "a"): r"a^{$l} = \sigma\!\left(W^{$l} a^{$prev} + b^{$l}\right)",
    ("forward", "z"): r"z^{$l} = W^{$l} a^{$prev} + b^{$l}",
    ("output_error", "delta"): r"\delta^{$l} = \nabla_{a} C \odot \sigma'\!\left(z^{$l}\right)",
    ("backward", "delta"): (
        r"\delta^{$l} = \left(\left(W^{$next}\right)" + T + r" \delta^{$next}\right)"
        r" \odot \sigma'\!\left(z^{$l}\right)"
    ),
    ("gradients", "weights"): GRAD + " = " + MEAN_W,
    ("gradients", "biases"): GRAD + " = " + MEAN_B,
    ("update", "weights"): r"$q^{$l} \leftarrow $q^{$l} - \eta\, " + GRAD,
    ("update", "biases"): r"$q^{$l} \leftarrow $q^{$l} - \eta\, " + GRAD,
}

# What the learner computed instead: (mistake, phase, part) → template; part None: any part.
_MISTAKEN: dict[tuple[str, str, str | None], str] = {
    ("missing_bias", "forward", "a"): r"a^{$l} = \sigma\!\left(W^{$l} a^{$prev}\right)",
    ("missing_bias", "forward", "z"): r"z^{$l} = W^{$l} a^{$prev}",
    ("wrong_activation", "forward", "a"): r"a^{$l} = \tilde{\sigma}\!\left(z^{$l}\right)"
    r"\ \text{(another activation)}",
    ("used_z_not_a", "forward", "a"): r"a^{$l} = \sigma\!\left(W^{$l} z^{$prev} + b^{$l}\right)",
    ("used_z_not_a", "forward", "z"): r"z^{$l} = W^{$l} z^{$prev} + b^{$l}",
    ("missing_sigma_prime", "output_error", None): r"\delta^{$l} = \nabla_{a} C",
    ("sign_flipped", "output_error", None): r"\delta^{$l} = -\nabla_{a} C \odot "
    r"\sigma'\!\left(z^{$l}\right)\ \text{(}y - a\text{ for }a - y\text{)}",
    ("sigma_prime_of_a", "output_error", None): (
        r"\delta^{$l} = \nabla_{a} C \odot \sigma'\!\left(a^{$l}\right)"
    ),
    ("untransposed_weights", "backward", None): (
        r"\delta^{$l} = \left(W^{$next} \delta^{$next}\right) \odot \sigma'\!\left(z^{$l}\right)"
    ),
    ("missing_sigma_prime", "backward", None): (
        r"\delta^{$l} = \left(W^{$next}\right)" + T + r" \delta^{$next}"
    ),
    ("wrong_layer_weights", "backward", None): (
        r"\delta^{$l} = \left(\left(W^{$l}\right)" + T + r" \delta^{$next}\right)"
        r" \odot \sigma'\!\left(z^{$l}\right)"
    ),
    ("sum_not_mean", "gradients", "weights"): GRAD + r" = \delta^{$l} \left(a^{$prev}\right)" + T,
    ("sum_not_mean", "gradients", "biases"): GRAD + r" = \sum_{x} \delta^{$l}_{x}",
    ("wrong_activation_layer", "gradients", "weights"): (
        GRAD + r" = \frac{1}{m}\, \delta^{$l} \left(a^{$l}\right)" + T
    ),
    ("sign_flipped", "gradients", "weights"): GRAD + " = -" + MEAN_W,
    ("sign_flipped", "gradients", "biases"): GRAD + " = -" + MEAN_B,
    ("added_gradient", "update", None): r"$q^{$l} \leftarrow $q^{$l} + \eta\, " + GRAD,
    ("missing_learning_rate", "update", None): r"$q^{$l} \leftarrow $q^{$l} - " + GRAD,
    ("updated_weights_used", "update", None): (
        r"$q^{$l} \leftarrow $q^{$l} - \eta\, " + GRAD + r"\ \text{(with }W^{$next}"
        r"\text{ already updated)}"
    ),
}


def _fill(template: str, layer: int, part: str) -> str:
    q = "b" if part == "biases" else "W"
    return Template(template).substitute(l=layer, next=layer + 1, prev=layer - 1, q=q)


def step_formula(phase: str, layer: int, part: str, softmax: bool = False) -> str:
    """The right formula of step (phase, layer)'s answer `part`, as LaTeX."""
    if phase == "output_error" and softmax:  # no elementwise σ′: δᴸ = Jᵀ∇ₐC
        return _fill(r"\delta^{$l} = J" + T + r" \nabla_{a} C", layer, part)
    return _fill(_RIGHT[(phase, part)], layer, part)


def mistake_formula(name: str, phase: str, layer: int, part: str) -> str:
    """The formula the learner used when they made mistake `name` at step (phase, layer)."""
    template = _MISTAKEN.get((name, phase, part)) or _MISTAKEN[(name, phase, None)]
    return _fill(template, layer, part)
