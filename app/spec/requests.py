"""Request models (pydantic): strict, closed, bounded — what a client may send.

`extra="forbid"` (a typo is an error), strict types (a boolean is not a
number, "2" is not 2), Literal options and a hard ceiling on every size. The
configurable limits (app.settings) are checked after parsing, in
app.spec.build, which names the field at fault. A size that a setting bounds
carries `bound(...)`: the published OpenAPI schema gives the configured value
there (app.spec.bounds), so the schema says what this server accepts.

Every route that computes takes one shape, a Problem: a network, a cost and
data, given as `data` (a named data set, or samples) or as `inputs` and
`targets` at the top level, the way /backprop takes them. SessionConfig is the
one shape of a session's configuration: the API returns it, exports carry it,
share links and the session store write it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, TypeAdapter

__all__ = [
    "BOUND_KEY",
    "INTEGRAL",
    "MAX_NOISE",
    "MAX_SEED",
    "OPTIMIZER_MODELS",
    "ActivationName",
    "AdamIn",
    "AnswerRequest",
    "BackpropRequest",
    "BatchProblem",
    "CheckRequest",
    "ClassCreate",
    "CostName",
    "CsvRequest",
    "DataIn",
    "DatasetDataIn",
    "DatasetName",
    "ExerciseRequest",
    "Finite",
    "Form",
    "GradcheckRequest",
    "InitMethod",
    "MomentumIn",
    "NetworkIn",
    "OptimizerIn",
    "OptimizerName",
    "OptimizerStateIn",
    "ParameterArrays",
    "PatchRequest",
    "PhaseName",
    "PresetName",
    "PresetRef",
    "Problem",
    "Request",
    "ResumeState",
    "RmspropIn",
    "SampleDataIn",
    "SeekRequest",
    "SessionConfig",
    "SessionCreate",
    "SessionTrainRequest",
    "SgdIn",
    "StepRequest",
    "TrainRequest",
    "WeightDecay",
    "bound",
    "optimizer_in",
]

# The engine's registries, spelled out for the type checker; a test pins them
# to engine.ACTIVATIONS, engine.COSTS, engine.INIT_METHODS, engine.DATASETS, engine.PHASES.
ActivationName = Literal["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"]
CostName = Literal["quadratic", "cross_entropy", "softmax_cross_entropy"]
InitMethod = Literal["xavier", "he", "normal", "uniform"]
DatasetName = Literal[
    "xor", "circle", "moons", "spiral", "gaussian", "three_blobs", "sine", "digits"
]
PresetName = Literal["worked_example", "xor", "circle", "spiral", "three_blobs", "sine", "digits"]
PhaseName = Literal["forward", "output_error", "backward", "gradients", "update"]
Form = Literal["hadamard", "softmax_jacobian"]
OptimizerName = Literal["sgd", "momentum", "rmsprop", "adam"]

# Hard ceilings (the configurable limits of app.settings are checked below them).
MAX_LAYERS = 64
MAX_WIDTH = 4096
MAX_SAMPLES = 100_000
MAX_SEED = 2**63 - 1
MAX_NOISE = 10.0


BOUND_KEY = "x-bound"


def bound(**keywords: str) -> dict[str, Any]:
    """A field's JSON Schema keywords that a setting bounds: keyword → a name of
    app.spec.bounds.BOUNDS, e.g. bound(maxItems="max_samples")."""
    return {BOUND_KEY: keywords}


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


def _integral(value: Any) -> Any:
    """JSON has one kind of number, and JSON Schema counts 3.0 as an integer: take it as 3.
    (Strict validation still refuses 3.5, true and "3".)"""
    return int(value) if isinstance(value, float) and value.is_integer() else value


# The last item of an integer's Annotated: constraints given after a validator would not
# become JSON Schema keywords (pydantic writes them as "ge", "le").
INTEGRAL = BeforeValidator(_integral)


Finite = Annotated[float, Field(allow_inf_nan=False)]
_WIDE = bound(maxItems="max_width")
Vector = Annotated[list[Finite], Field(max_length=MAX_WIDTH, json_schema_extra=_WIDE)]
Matrix = Annotated[list[Vector], Field(max_length=MAX_WIDTH, json_schema_extra=_WIDE)]
Sample = Annotated[list[Finite], Field(min_length=1, max_length=MAX_WIDTH, json_schema_extra=_WIDE)]
Samples = Annotated[
    list[Sample],
    Field(min_length=1, max_length=MAX_SAMPLES, json_schema_extra=bound(maxItems="max_samples")),
]
# Published as an exact integer (see app.spec.bounds).
Seed = Annotated[
    int, Field(ge=0, le=MAX_SEED, json_schema_extra=bound(maximum="max_seed")), INTEGRAL
]
LearningRate = Annotated[float, Field(ge=0.0, le=1e6, allow_inf_nan=False)]
BatchSize = Annotated[
    int, Field(ge=1, le=MAX_SAMPLES, json_schema_extra=bound(maximum="max_batch_size")), INTEGRAL
]
Width = Annotated[
    int, Field(ge=1, le=MAX_WIDTH, json_schema_extra=bound(maximum="max_width")), INTEGRAL
]
LayerIndex = Annotated[
    int, Field(ge=1, le=MAX_LAYERS, json_schema_extra=bound(maximum="max_layers")), INTEGRAL
]
Iterations = Annotated[
    int, Field(ge=1, le=10**7, json_schema_extra=bound(maximum="max_iterations")), INTEGRAL
]
SampleCount = Annotated[
    int, Field(ge=1, le=MAX_SAMPLES, json_schema_extra=bound(maximum="max_samples")), INTEGRAL
]
_PER_LAYER = bound(maxItems="max_layers")


def _both_or_neither(first: str, second: str, kind: str) -> dict[str, Any]:
    """JSON Schema for "`first` and `second` together (as `kind`), or neither": null is
    as good as absent, as the models treat it."""
    null = {"type": "null"}
    given = {"type": kind}
    return {
        "anyOf": [
            {"properties": {first: null, second: null}},
            {"required": [first, second], "properties": {first: given, second: given}},
        ]
    }


class Init(Request):
    method: InitMethod = "xavier"
    seed: Seed = 0


class NetworkIn(Request):
    """Layer sizes n₀ … n_L, one activation per weight layer, and parameters:
    explicit `weights` (Wˡ is nₗ × nₗ₋₁) and `biases` together, or drawn by `init`."""

    model_config = ConfigDict(json_schema_extra=_both_or_neither("weights", "biases", "array"))

    layers: Annotated[
        list[Width],
        Field(
            min_length=2,
            max_length=MAX_LAYERS + 1,
            json_schema_extra=bound(maxItems="max_layer_sizes"),
        ),
    ]
    activations: Annotated[
        list[ActivationName],
        Field(min_length=1, max_length=MAX_LAYERS, json_schema_extra=_PER_LAYER),
    ]
    weights: (
        Annotated[list[Matrix], Field(max_length=MAX_LAYERS, json_schema_extra=_PER_LAYER)] | None
    ) = None
    biases: (
        Annotated[list[Vector], Field(max_length=MAX_LAYERS, json_schema_extra=_PER_LAYER)] | None
    ) = None
    init: Init | None = None


class DatasetDataIn(Request):
    """A named synthetic data set drawn from (size, noise, seed); defaults per data set."""

    dataset: DatasetName
    size: SampleCount | None = None
    noise: Annotated[float, Field(ge=0.0, le=MAX_NOISE, allow_inf_nan=False)] | None = None
    seed: Seed = 0


ClassName = Annotated[str, Field(min_length=1, max_length=100)]


class SampleDataIn(Request):
    """Explicit samples: `inputs` is m × n₀ and `targets` m × n_L (one row per sample);
    for class targets, `class_names` may name the classes (for the page to show)."""

    inputs: Samples
    targets: Samples
    class_names: (
        Annotated[
            list[ClassName],
            Field(min_length=2, max_length=MAX_WIDTH, json_schema_extra=_WIDE),
        ]
        | None
    ) = Field(
        None,
        description="the classes' names in the order of their numbers: one per output, or "
        "two for one 0/1 output (as POST /datasets/csv gives them)",
    )


def _tag_by_key(key: str, model: type[BaseModel], present: str, absent: str) -> Discriminator:
    """Tell a union's two members apart by one key: `present` when the value has it."""

    def tag(value: Any) -> str:
        has = isinstance(value, model) or (isinstance(value, dict) and key in value)
        return present if has else absent

    return Discriminator(tag)


DataIn = Annotated[
    Annotated[DatasetDataIn, Tag("dataset_data")] | Annotated[SampleDataIn, Tag("sample_data")],
    _tag_by_key("dataset", DatasetDataIn, "dataset_data", "sample_data"),
]


# JSON Schema for "`data`, or `inputs` and `targets`, never both": the schema says what
# the server accepts (app.spec.build checks it and names the field at fault). A null
# counts as absent, as it does for the models.
_DATA: dict[str, Any] = {"type": "object"}
_ROWS: dict[str, Any] = {"type": "array"}
_ONE_DATA_SOURCE: dict[str, Any] = {
    "anyOf": [
        {"required": ["data"], "properties": {"data": _DATA}},
        {"required": ["inputs", "targets"], "properties": {"inputs": _ROWS, "targets": _ROWS}},
    ],
    "not": {
        "anyOf": [
            {"required": ["data", given], "properties": {"data": _DATA, given: _ROWS}}
            for given in ("inputs", "targets")
        ]
    },
}


class Problem(Request):
    """A network, a cost and data: `data` (a named data set, or samples), or the samples
    as `inputs` (m × n₀) and `targets` (m × n_L) at the top level — one or the other."""

    model_config = ConfigDict(json_schema_extra=_ONE_DATA_SOURCE)

    network: NetworkIn
    cost: CostName
    data: DataIn | None = None
    inputs: Samples | None = None
    targets: Samples | None = None


# The data of /backprop and /gradcheck are one batch: max_batch_size bounds them too.
_ONE_BATCH = bound(maxItems="max_batch_samples")
BatchSamples = Annotated[
    list[Sample], Field(min_length=1, max_length=MAX_SAMPLES, json_schema_extra=_ONE_BATCH)
]
BatchCount = Annotated[
    int, Field(ge=1, le=MAX_SAMPLES, json_schema_extra=bound(maximum="max_batch_samples")), INTEGRAL
]


class BatchDatasetDataIn(DatasetDataIn):
    size: BatchCount | None = None


class BatchSampleDataIn(SampleDataIn):
    inputs: BatchSamples
    targets: BatchSamples


BatchDataIn = Annotated[
    Annotated[BatchDatasetDataIn, Tag("dataset_data")]
    | Annotated[BatchSampleDataIn, Tag("sample_data")],
    _tag_by_key("dataset", DatasetDataIn, "dataset_data", "sample_data"),
]


# ---------------------------------------------------------------- the update rule

# A decay rate: 1 would never forget (and Adam would divide by 1 − 1ᵗ = 0).
Decay = Annotated[float, Field(ge=0.0, lt=1.0, allow_inf_nan=False)]
Epsilon = Annotated[float, Field(gt=0.0, le=1.0, allow_inf_nan=False)]


class SgdIn(Request):
    """Plain descent: θ ← θ − η g."""

    name: Literal["sgd"]


class MomentumIn(Request):
    """torch.optim.SGD with momentum μ, no dampening: v ← μ v + g; θ ← θ − η v
    (nesterov: θ ← θ − η (g + μ v))."""

    name: Literal["momentum"]
    momentum: Decay = 0.9
    nesterov: bool = False


class RmspropIn(Request):
    """torch.optim.RMSprop: s ← α s + (1 − α) g²; θ ← θ − η g / (√s + ε)."""

    name: Literal["rmsprop"]
    alpha: Decay = 0.99
    eps: Epsilon = 1e-8


class AdamIn(Request):
    """torch.optim.Adam: m ← β₁ m + (1 − β₁) g; v ← β₂ v + (1 − β₂) g²;
    m̂ = m / (1 − β₁ᵗ); v̂ = v / (1 − β₂ᵗ); θ ← θ − η m̂ / (√v̂ + ε), t from 1."""

    name: Literal["adam"]
    beta1: Decay = 0.9
    beta2: Decay = 0.999
    eps: Epsilon = 1e-8


OPTIMIZER_MODELS: dict[str, type[Request]] = {
    "sgd": SgdIn,
    "momentum": MomentumIn,
    "rmsprop": RmspropIn,
    "adam": AdamIn,
}


def _optimizer_tag(value: Any) -> str | None:
    """A member by its `name` (tags end in _optimizer, so error locations can drop them)."""
    if isinstance(value, Request):
        return f"{getattr(value, 'name', '')}_optimizer"
    name = value.get("name") if isinstance(value, dict) else None
    return f"{name}_optimizer" if isinstance(name, str) else None


OptimizerIn = Annotated[
    Annotated[SgdIn, Tag("sgd_optimizer")]
    | Annotated[MomentumIn, Tag("momentum_optimizer")]
    | Annotated[RmspropIn, Tag("rmsprop_optimizer")]
    | Annotated[AdamIn, Tag("adam_optimizer")],
    Discriminator(
        _optimizer_tag,
        custom_error_type="unknown_optimizer",
        custom_error_message="must be an object whose name is sgd, momentum, rmsprop or adam",
    ),
]
_OPTIMIZER_IN: TypeAdapter[SgdIn | MomentumIn | RmspropIn | AdamIn] = TypeAdapter(OptimizerIn)


def optimizer_in(settings: dict[str, float | str]) -> SgdIn | MomentumIn | RmspropIn | AdamIn:
    """An optimizer as a request names it, from its settings (engine's Updater.settings)."""
    return _OPTIMIZER_IN.validate_python(settings)


# λ of the L2 penalty (λ/2) Σ ‖Wˡ‖² on the weights
WeightDecay = Annotated[float, Field(ge=0.0, le=1e6, allow_inf_nan=False)]


class ParameterArrays(Request):
    """One array per parameter: `weights` like W¹ … Wᴸ, `biases` like b¹ … bᴸ."""

    weights: Annotated[list[Matrix], Field(max_length=MAX_LAYERS, json_schema_extra=_PER_LAYER)]
    biases: Annotated[list[Vector], Field(max_length=MAX_LAYERS, json_schema_extra=_PER_LAYER)]


class OptimizerStateIn(Request):
    """What the optimizer carries into the exported iteration, by its names in the formulas
    (momentum: v; rmsprop: s; adam: m, v and t, its updates so far)."""

    v: ParameterArrays | None = None
    s: ParameterArrays | None = None
    m: ParameterArrays | None = None
    t: Annotated[int, Field(ge=0, le=10**12), INTEGRAL] | None = None


class BatchProblem(Problem):
    """A problem whose data are one batch, every sample at once (/backprop, /gradcheck)."""

    data: BatchDataIn | None = None
    inputs: BatchSamples | None = None
    targets: BatchSamples | None = None


class BackpropRequest(BatchProblem):
    learning_rate: LearningRate = 0.5
    optimizer: OptimizerIn | None = Field(None, description="the update rule; null: sgd")
    weight_decay: WeightDecay = 0.0


class ResumeState(Request):
    """Where an exported session stood: its cursor and its completed iterations' costs."""

    iteration: Annotated[int, Field(ge=0, le=10**12), INTEGRAL] = 0
    phase: PhaseName = "forward"
    layer: LayerIndex = 1
    cost_history: Annotated[
        list[Finite],
        Field(max_length=1_000_000, json_schema_extra=bound(maxItems="max_cost_history")),
    ] = []
    # null: nothing carried (sgd, or an optimizer at its first update)
    optimizer_state: OptimizerStateIn | None = None


class SessionConfig(Problem):
    learning_rate: LearningRate = 0.5
    batch_size: BatchSize = 32
    optimizer: OptimizerIn | None = Field(None, description="the update rule; null: sgd")
    weight_decay: WeightDecay | None = Field(None, description="λ; null: 0")
    seed: Seed = 0
    state: ResumeState | None = None
    # Held out from training: a share of the data drawn with `seed` (None: none).
    test_split: Annotated[float, Field(ge=0.0, le=0.9, allow_inf_nan=False)] | None = None
    # Train this many iterations on the fast path right after creating (a share link's
    # cursor): the numbers are those of stepping there, bit for bit. None: none.
    fast_forward: (
        Annotated[
            int,
            Field(ge=0, le=10**7, json_schema_extra=bound(maximum="max_fast_forward")),
            INTEGRAL,
        ]
        | None
    ) = None


class PresetRef(Request):
    preset: PresetName


SessionCreate = Annotated[
    Annotated[SessionConfig, Tag("session_config")] | Annotated[PresetRef, Tag("preset_ref")],
    _tag_by_key("preset", PresetRef, "preset_ref", "session_config"),
]


class StepRequest(Request):
    direction: Literal["forward", "back"] = "forward"
    unit: Literal["step", "phase", "iteration"] = "step"


class SeekRequest(Request):
    index: Annotated[
        int,
        Field(ge=0, le=4 * MAX_LAYERS, json_schema_extra=bound(maximum="max_step_index")),
        INTEGRAL,
    ]


class SessionTrainRequest(Request):
    iterations: Iterations


class PatchRequest(Request):
    learning_rate: LearningRate | None = None
    batch_size: BatchSize | None = None
    # Another rule starts from nothing carried; the same rule with new settings keeps its state.
    optimizer: OptimizerIn | None = None
    weight_decay: WeightDecay | None = None


class TrainRequest(Problem):
    learning_rate: LearningRate = 0.5
    batch_size: BatchSize = 32
    optimizer: OptimizerIn | None = Field(None, description="the update rule; null: sgd")
    weight_decay: WeightDecay = 0.0
    seed: Seed = 0
    iterations: Iterations


class CsvRequest(Request):
    """CSV text, one sample per line. Which columns are targets: `target_columns` (0-based),
    else the last `output_size` (or all after the first `input_size`), else the header's
    target-like names, else the last column. A target column of words (class labels) is
    one-hot encoded, one output per label in sorted order (two labels: one 0/1 output), as
    are 3 or more whole numbers in a column named like a class (class, label, category,
    species); `classes` true or false says so instead. With `cost`, the targets are checked
    against it too (cross_entropy: in [0, 1]); with `standardise`, each input column is
    rescaled to mean 0 and standard deviation 1."""

    text: Annotated[str, Field(max_length=1_000_000)]
    # The hard ceiling only: the text is checked, not a network, so max_width is not.
    input_size: Annotated[int, Field(ge=1, le=MAX_WIDTH), INTEGRAL] | None = None
    output_size: Annotated[int, Field(ge=1, le=MAX_WIDTH), INTEGRAL] | None = None
    target_columns: (
        Annotated[
            list[Annotated[int, Field(ge=0, lt=MAX_WIDTH), INTEGRAL]],
            Field(min_length=1, max_length=MAX_WIDTH),
        ]
        | None
    ) = None
    cost: CostName | None = None
    standardise: bool = False
    classes: bool | None = Field(
        None,
        description="true: the target column holds class labels (numbers too); false: its "
        "values are numbers; null: words are labels, and so are whole numbers in a column "
        "named like a class",
    )


class GradcheckRequest(BatchProblem):
    # Accepted so that a /backprop body checks as it is; the gradients do not depend on it.
    learning_rate: LearningRate = Field(0.5, description="not used: ∂C/∂θ does not depend on η")
    optimizer: OptimizerIn | None = Field(
        None, description="not used: ∂C/∂θ does not depend on the update rule"
    )
    weight_decay: WeightDecay = Field(0.0, description="λ: the check includes the L2 term")


CodeText = Annotated[str, Field(min_length=1, max_length=16)]
SessionIdText = Annotated[str, Field(min_length=1, max_length=128)]


class ClassCreate(Request):
    """Empty to start a class; with both fields, move class `code` over from `from_session`."""

    model_config = ConfigDict(json_schema_extra=_both_or_neither("code", "from_session", "string"))

    code: CodeText | None = None
    from_session: SessionIdText | None = None


HandWidth = Annotated[int, Field(ge=1, le=4), INTEGRAL]


class ExerciseRequest(Request):
    """A problem to do by hand (engine.exercises), the same for the same fields."""

    seed: Seed
    layers: Annotated[list[HandWidth], Field(min_length=2, max_length=4)] | None = None
    activations: Annotated[list[ActivationName], Field(min_length=1, max_length=3)] | None = None
    cost: CostName = "quadratic"
    samples: Annotated[int, Field(ge=1, le=4), INTEGRAL] = 1


AnswerCell = Annotated[float | None, Field(allow_inf_nan=False)]  # null: not answered
AnswerRow = Annotated[list[AnswerCell], Field(min_length=1, max_length=MAX_WIDTH)]
AnswerMatrix = Annotated[list[AnswerRow], Field(min_length=1, max_length=MAX_WIDTH)]


def _answer_kind(value: Any) -> str:
    return (
        "answer_matrix"
        if isinstance(value, list) and value and isinstance(value[0], list)
        else "answer_vector"
    )


Answer = Annotated[
    Annotated[AnswerMatrix, Tag("answer_matrix")] | Annotated[AnswerRow, Tag("answer_vector")],
    Discriminator(_answer_kind),
]


class CheckRequest(BackpropRequest):
    """A /backprop body, and the learner's answer to one step of its iteration."""

    phase: PhaseName
    layer: LayerIndex
    part: Literal["a", "z", "delta", "weights", "biases"] | None = Field(
        None,
        description="forward: a (default) or z; gradients and update: weights (default) or "
        "biases; output_error and backward: delta",
    )
    answer: Answer = Field(
        description="the step's result as the learner has it, in its orientation (δ is "
        "nₗ × m, ∂C/∂W nₗ × nₗ₋₁, a bias a flat list); null for an entry not answered"
    )


class AnswerRequest(Request):
    """A learner's answer to one step of a session's current iteration (default: the cursor's)."""

    phase: PhaseName | None = None
    layer: LayerIndex | None = None
    part: Literal["a", "z", "delta", "weights", "biases"] | None = None
    answer: Answer
