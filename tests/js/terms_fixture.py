"""Writes tests/js/fixtures/terms.json: the API's GET …/terms answers that the node
tests of static/js/terms.js lay out, one per case below, taken from the app itself
(so the layout is tested on the engine's trees, not on hand-made ones).

    .venv/bin/python -m tests.js.terms_fixture
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.main import create_app
from tests.app.helpers import JSON, config

OUT = Path(__file__).parent / "fixtures" / "terms.json"

WORKED: dict[str, Any] = {"preset": "worked_example"}
BLOBS: dict[str, Any] = {"preset": "three_blobs"}  # softmax cross-entropy: δᴸ = a − y


def _network(layers: list[int], activations: list[str], method: str, seed: int) -> JSON:
    return {"layers": layers, "activations": activations, "init": {"method": method, "seed": seed}}


XOR = config(
    network=_network([2, 3, 1], ["relu", "sigmoid"], "he", 0),
    data={"dataset": "xor", "seed": 0},
    batch_size=4,
    seed=0,
)
WIDE = config(  # an 8-wide layer (long sums) and a batch of 32 (long means)
    network=_network([2, 8, 8, 1], ["tanh", "leaky_relu", "sigmoid"], "xavier", 0),
    cost="quadratic",
    learning_rate=0.3,
    data={"dataset": "spiral", "size": 64, "noise": 0.02, "seed": 0},
    batch_size=32,
    seed=0,
)
SOFTMAX_QUADRATIC = config(  # δᴸ = Jᵀ∇ₐC, with J's numbers
    network=_network([2, 3, 3], ["sigmoid", "softmax"], "xavier", 1),
    cost="quadratic",
    data={"inputs": [[0.5, -0.25]], "targets": [[0.0, 1.0, 0.0]]},
    batch_size=1,
)

# name → (session, phase, layer, quantity, row, column)
CASES: dict[str, tuple[dict[str, Any], str, int, str, int, int | None]] = {
    "z1": (WORKED, "forward", 1, "z", 0, 0),
    "a2": (WORKED, "forward", 2, "a", 0, 0),
    "grad_a": (WORKED, "output_error", 2, "grad_a", 0, 0),
    "sigma_prime2": (WORKED, "output_error", 2, "sigma_prime", 1, 0),
    "delta2": (WORKED, "output_error", 2, "delta", 0, 0),
    "weighted_error1": (WORKED, "backward", 1, "weighted_error", 0, 0),
    "delta1": (WORKED, "backward", 1, "delta", 0, 0),
    "dW2": (WORKED, "gradients", 2, "weights", 1, 0),
    "db1": (WORKED, "gradients", 1, "biases", 0, None),
    "W2_new": (WORKED, "update", 2, "weights", 1, 0),
    "b2_new": (WORKED, "update", 2, "biases", 1, None),
    "eta_dW2": (WORKED, "update", 2, "eta_grad_weights", 1, 0),
    "xor_relu_prime": (XOR, "backward", 1, "sigma_prime", 0, 2),
    "xor_grad_a": (XOR, "output_error", 2, "grad_a", 0, 1),
    "xor_delta2": (XOR, "output_error", 2, "delta", 0, 1),
    "xor_dW1": (XOR, "gradients", 1, "weights", 0, 1),
    "wide_z2": (WIDE, "forward", 2, "z", 3, 5),
    "wide_a2": (WIDE, "forward", 2, "a", 3, 5),
    "wide_a1": (WIDE, "forward", 1, "a", 0, 0),
    "wide_tanh_prime": (WIDE, "backward", 1, "sigma_prime", 0, 0),
    "wide_dW2": (WIDE, "gradients", 2, "weights", 3, 1),
    "wide_db3": (WIDE, "gradients", 3, "biases", 0, None),
    "softmax_a": (SOFTMAX_QUADRATIC, "forward", 2, "a", 1, 0),
    "softmax_delta": (SOFTMAX_QUADRATIC, "output_error", 2, "delta", 1, 0),
    "blobs_delta": (BLOBS, "output_error", 2, "delta", 2, 3),
    "blobs_grad_a": (BLOBS, "output_error", 2, "grad_a", 2, 3),
}


def main() -> None:
    client = TestClient(create_app())
    sessions: dict[int, str] = {}
    out: dict[str, Any] = {}
    for name, (body, phase, layer, quantity, row, column) in CASES.items():
        if id(body) not in sessions:
            created = client.post("/api/v1/sessions", json=body)
            assert created.status_code == 201, created.text
            sessions[id(body)] = created.json()["id"]
        params: dict[str, str | int] = {"phase": phase, "layer": layer}
        params |= {"quantity": quantity, "row": row}
        if column is not None:
            params["column"] = column
        answer = client.get(f"/api/v1/sessions/{sessions[id(body)]}/terms", params=params)
        assert answer.status_code == 200, f"{name}: {answer.text}"
        out[name] = answer.json()
    OUT.write_text(json.dumps(out, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
