"""Backprop Lens engine: backpropagation in pure numpy, every phase exposed.

Notation follows DESIGN.md (Nielsen's matrix form): layers l = 0 … L, Wˡ of
shape (nₗ, nₗ₋₁), a batch of m samples as m columns, all math in float64.

    >>> from engine import init_network, trace_iteration
    >>> import numpy as np
    >>> net = init_network([2, 3, 1], ["tanh", "sigmoid"], "xavier", seed=0)
    >>> trace = trace_iteration(net, "cross_entropy", np.zeros((2, 4)), np.ones((1, 4)), 0.5)
    >>> [s.layer for s in trace.backward]
    [1]
"""

from engine.activations import ACTIVATIONS, Activation
from engine.costs import COSTS, Cost
from engine.datasets import DATASETS, Dataset, DatasetSpec, make_dataset
from engine.errors import DefinitionError
from engine.evaluate import Evaluation, accuracy, evaluate, layer_outputs, split_data
from engine.exercises import Exercise, make_exercise
from engine.field import OutputField, output_field, output_field_in_slices
from engine.gradcheck import LayerCheck, gradcheck, gradcheck_in_slices, relative_error
from engine.mistakes import MISTAKES, PARTS, Diagnosis, Mistake, check_answer, step_result
from engine.network import (
    INIT_METHODS,
    Network,
    TargetProblem,
    check_architecture,
    check_batch,
    check_cost,
    check_targets,
    init_network,
    make_network,
    target_problem,
)
from engine.optimizers import OPTIMIZERS, Optimizer, OptimizerState, Updater, updater
from engine.slices import Sliced, finish
from engine.steps import (
    PHASES,
    Payload,
    Phase,
    Step,
    check_step,
    iteration_steps,
    phase_layers,
    step_payload,
)
from engine.terms import EntryTerms, entry_terms
from engine.trace import (
    BackwardStep,
    Divergence,
    ForwardStep,
    GradientStep,
    OutputError,
    Trace,
    UpdateStep,
    trace_iteration,
)
from engine.train import (
    TrainResult,
    batch_indices,
    predict,
    select_batch,
    train,
    train_in_slices,
)

__all__ = [
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
