"""The engine's boundary: what it imports and what it exports."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import engine

ENGINE_DIR = Path(engine.__file__).parent
ALLOWED_THIRD_PARTY = {"numpy"}


def imported_roots(path: Path) -> set[str]:
    """The top-level names of every module a file imports (relative imports: 'engine')."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            roots.add("engine" if node.level else (node.module or "").split(".")[0])
    return roots


def test_engine_imports_only_numpy_and_the_standard_library() -> None:
    files = sorted(ENGINE_DIR.glob("*.py"))
    assert len(files) >= 10
    for path in files:
        outside = imported_roots(path) - {"engine"} - ALLOWED_THIRD_PARTY
        not_stdlib = {name for name in outside if name not in sys.stdlib_module_names}
        assert not not_stdlib, f"{path.name} imports {sorted(not_stdlib)}"


def test_the_check_itself_sees_imports() -> None:
    sample = ENGINE_DIR / "trace.py"
    assert {"numpy", "engine", "dataclasses"} <= imported_roots(sample)


def test_public_names_are_pinned() -> None:
    assert engine.__all__ == [
        "ACTIVATIONS",
        "COSTS",
        "DATASETS",
        "INIT_METHODS",
        "MISTAKES",
        "OPTIMIZERS",
        "PARTS",
        "PHASES",
        "Activation",
        "BackwardStep",
        "Cost",
        "Dataset",
        "DatasetSpec",
        "DefinitionError",
        "Diagnosis",
        "Divergence",
        "EntryTerms",
        "Evaluation",
        "Exercise",
        "ForwardStep",
        "GradientStep",
        "LayerCheck",
        "Mistake",
        "Network",
        "Optimizer",
        "OptimizerState",
        "OutputError",
        "OutputField",
        "Payload",
        "Phase",
        "Sliced",
        "Step",
        "TargetProblem",
        "Trace",
        "TrainResult",
        "UpdateStep",
        "Updater",
        "accuracy",
        "batch_indices",
        "check_answer",
        "check_architecture",
        "check_batch",
        "check_cost",
        "check_step",
        "check_targets",
        "entry_terms",
        "evaluate",
        "finish",
        "gradcheck",
        "gradcheck_in_slices",
        "init_network",
        "iteration_steps",
        "layer_outputs",
        "make_dataset",
        "make_exercise",
        "make_network",
        "output_field",
        "output_field_in_slices",
        "phase_layers",
        "predict",
        "relative_error",
        "select_batch",
        "split_data",
        "step_payload",
        "step_result",
        "target_problem",
        "trace_iteration",
        "train",
        "train_in_slices",
        "updater",
    ]
    for name in engine.__all__:
        assert hasattr(engine, name), name


def test_registries_hold_the_public_strings() -> None:
    assert list(engine.ACTIVATIONS) == [
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "linear",
        "softmax",
    ]
    assert list(engine.COSTS) == ["quadratic", "cross_entropy", "softmax_cross_entropy"]
    assert list(engine.OPTIMIZERS) == ["sgd", "momentum", "rmsprop", "adam"]
    assert engine.INIT_METHODS == ("xavier", "he", "normal", "uniform")
    assert [a.name for a in engine.ACTIVATIONS.values() if a.output_only] == ["softmax"]
