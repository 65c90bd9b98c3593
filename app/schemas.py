"""HTTP request and response models (pydantic): strict, closed, bounded.

Requests: `extra="forbid"` (a typo is an error), strict types (a boolean is
not a number, "2" is not 2), Literal options and a hard ceiling on every size.
The configurable limits (app.settings) are checked after parsing, in
app.build, which names the field at fault.

Responses are written by app.convert straight from numpy arrays with orjson;
the response models here document them in the OpenAPI schema (and the tests
validate real responses against them). A non-finite number is written as
null, so response matrices hold `float | None`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from app.errors import ErrorCode

__all__ = [
    "ActivationName",
    "BackpropRequest",
    "BackpropResponse",
    "CostName",
    "CsvRequest",
    "CsvResponse",
    "DataIn",
    "DatasetDataIn",
    "DatasetName",
    "ErrorResponse",
    "FieldResponse",
    "GradcheckRequest",
    "GradcheckResponse",
    "InitMethod",
    "NetworkIn",
    "NetworkOut",
    "OptionsResponse",
    "PatchRequest",
    "PhaseName",
    "PresetName",
    "PresetOut",
    "PresetRef",
    "ResumeState",
    "SampleDataIn",
    "SeekRequest",
    "SessionConfig",
    "SessionCreate",
    "SessionData",
    "SessionState",
    "SessionTrainRequest",
    "StepRequest",
    "TrainRequest",
    "TrainResponse",
]

# The engine's registries, spelled out for the type checker; a test pins them
# to engine.ACTIVATIONS, engine.COSTS, engine.INIT_METHODS, engine.DATASETS, engine.PHASES.
ActivationName = Literal["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"]
CostName = Literal["quadratic", "cross_entropy", "softmax_cross_entropy"]
InitMethod = Literal["xavier", "he", "normal", "uniform"]
DatasetName = Literal["xor", "circle", "moons", "spiral", "gaussian", "three_blobs", "sine"]
PresetName = Literal["worked_example", "xor", "circle", "spiral", "three_blobs", "sine"]
PhaseName = Literal["forward", "output_error", "backward", "gradients", "update"]
Form = Literal["hadamard", "softmax_jacobian"]

# Hard ceilings (the configurable limits of app.settings are checked below them).
MAX_LAYERS = 64
MAX_WIDTH = 4096
MAX_SAMPLES = 100_000
MAX_SEED = 2**63 - 1
MAX_NOISE = 10.0


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


Finite = Annotated[float, Field(allow_inf_nan=False)]
Vector = Annotated[list[Finite], Field(max_length=MAX_WIDTH)]
Matrix = Annotated[list[Vector], Field(max_length=MAX_WIDTH)]
Sample = Annotated[list[Finite], Field(min_length=1, max_length=MAX_WIDTH)]
Samples = Annotated[list[Sample], Field(min_length=1, max_length=MAX_SAMPLES)]
Seed = Annotated[int, Field(ge=0, le=MAX_SEED)]
LearningRate = Annotated[float, Field(ge=0.0, le=1e6, allow_inf_nan=False)]
BatchSize = Annotated[int, Field(ge=1, le=MAX_SAMPLES)]
Width = Annotated[int, Field(ge=1, le=MAX_WIDTH)]
LayerIndex = Annotated[int, Field(ge=1, le=MAX_LAYERS)]

# ---------------------------------------------------------------- requests


class Init(Request):
    method: InitMethod = "xavier"
    seed: Seed = 0


class NetworkIn(Request):
    """Layer sizes n₀ … n_L, one activation per weight layer, and parameters:
    explicit `weights` (Wˡ is nₗ × nₗ₋₁) and `biases` together, or drawn by `init`."""

    layers: Annotated[list[Width], Field(min_length=2, max_length=MAX_LAYERS + 1)]
    activations: Annotated[list[ActivationName], Field(min_length=1, max_length=MAX_LAYERS)]
    weights: Annotated[list[Matrix], Field(max_length=MAX_LAYERS)] | None = None
    biases: Annotated[list[Vector], Field(max_length=MAX_LAYERS)] | None = None
    init: Init | None = None


class DatasetDataIn(Request):
    """A named synthetic data set drawn from (size, noise, seed); defaults per data set."""

    dataset: DatasetName
    size: Annotated[int, Field(ge=1, le=MAX_SAMPLES)] | None = None
    noise: Annotated[float, Field(ge=0.0, le=MAX_NOISE, allow_inf_nan=False)] | None = None
    seed: Seed = 0


class SampleDataIn(Request):
    """Explicit samples: `inputs` is m × n₀ and `targets` m × n_L (one row per sample)."""

    inputs: Samples
    targets: Samples


def _data_kind(value: Any) -> str:
    if isinstance(value, DatasetDataIn) or (isinstance(value, dict) and "dataset" in value):
        return "dataset_data"
    return "sample_data"


DataIn = Annotated[
    Annotated[DatasetDataIn, Tag("dataset_data")] | Annotated[SampleDataIn, Tag("sample_data")],
    Discriminator(_data_kind),
]


class BackpropRequest(Request):
    network: NetworkIn
    cost: CostName
    inputs: Samples
    targets: Samples
    learning_rate: LearningRate = 0.5


class ResumeState(Request):
    """Where an exported session stood: its cursor and its completed iterations' costs."""

    iteration: Annotated[int, Field(ge=0, le=10**12)] = 0
    phase: PhaseName = "forward"
    layer: LayerIndex = 1
    cost_history: Annotated[list[Finite], Field(max_length=1_000_000)] = []


class SessionConfig(Request):
    network: NetworkIn
    cost: CostName
    learning_rate: LearningRate = 0.5
    data: DataIn
    batch_size: BatchSize = 32
    seed: Seed = 0
    state: ResumeState | None = None
    # Held out from training: a share of the data drawn with `seed` (None: none).
    test_split: Annotated[float, Field(ge=0.0, le=0.9, allow_inf_nan=False)] | None = None
    # Train this many iterations on the fast path right after creating (a share link's
    # cursor): the numbers are those of stepping there, bit for bit. None: none.
    fast_forward: Annotated[int, Field(ge=0, le=10**7)] | None = None


class PresetRef(Request):
    preset: PresetName


def _create_kind(value: Any) -> str:
    if isinstance(value, PresetRef) or (isinstance(value, dict) and "preset" in value):
        return "preset_ref"
    return "session_config"


SessionCreate = Annotated[
    Annotated[SessionConfig, Tag("session_config")] | Annotated[PresetRef, Tag("preset_ref")],
    Discriminator(_create_kind),
]


class StepRequest(Request):
    direction: Literal["forward", "back"] = "forward"
    unit: Literal["step", "phase", "iteration"] = "step"


class SeekRequest(Request):
    index: Annotated[int, Field(ge=0, le=4 * MAX_LAYERS)]


class SessionTrainRequest(Request):
    iterations: Annotated[int, Field(ge=1, le=10**7)]


class PatchRequest(Request):
    learning_rate: LearningRate | None = None
    batch_size: BatchSize | None = None


class TrainRequest(Request):
    network: NetworkIn
    cost: CostName
    learning_rate: LearningRate = 0.5
    data: DataIn
    batch_size: BatchSize = 32
    seed: Seed = 0
    iterations: Annotated[int, Field(ge=1, le=10**7)]


class CsvRequest(Request):
    """CSV text, one sample per line: `input_size` inputs, then `output_size` targets."""

    text: Annotated[str, Field(max_length=1_000_000)]
    input_size: Width
    output_size: Width


class GradcheckRequest(Request):
    """Give `inputs` and `targets`, or `data`."""

    network: NetworkIn
    cost: CostName
    inputs: Samples | None = None
    targets: Samples | None = None
    data: DataIn | None = None


# --------------------------------------------------------------- responses

Cell = float | None  # null where the value is not finite (see "diverged")
MatrixOut = list[list[Cell]]
VectorOut = list[Cell]


class ErrorDetail(Out):
    code: ErrorCode
    message: str
    field: str | None


class ErrorResponse(Out):
    error: ErrorDetail


class NetworkOut(Out):
    layers: list[int]
    activations: list[ActivationName]
    weights: list[MatrixOut]
    biases: list[VectorOut]


class ForwardOut(Out):
    layer: int
    z: MatrixOut
    a: MatrixOut


class OutputErrorOut(Out):
    layer: int
    grad_a: MatrixOut
    sigma_prime: MatrixOut | None
    delta: MatrixOut
    form: Form


class BackwardOut(Out):
    layer: int
    weighted_error: MatrixOut
    sigma_prime: MatrixOut
    delta: MatrixOut


class GradientOut(Out):
    layer: int
    weights: MatrixOut
    biases: VectorOut


class UpdateOut(Out):
    layer: int
    weights: MatrixOut
    biases: VectorOut
    eta_grad_weights: MatrixOut
    eta_grad_biases: VectorOut


class DivergenceOut(Out):
    phase: PhaseName
    layer: int
    quantity: str


class BackpropResponse(Out):
    network: NetworkOut
    forward: list[ForwardOut]
    cost: Cell
    output_error: OutputErrorOut
    backward: list[BackwardOut]
    gradients: list[GradientOut]
    update: list[UpdateOut]
    learning_rate: float
    diverged: bool
    divergence: DivergenceOut | None


class BatchOut(Out):
    a0: MatrixOut
    y: MatrixOut
    indices: list[int] | None


class TraceOut(BackpropResponse):
    batch: BatchOut


class CursorOut(Out):
    iteration: int
    phase: PhaseName
    layer: int
    index: int


class StepOut(Out):
    phase: PhaseName
    layer: int


class ForwardStepOut(ForwardOut):
    phase: Literal["forward"]


class OutputErrorStepOut(OutputErrorOut):
    phase: Literal["output_error"]


class BackwardStepOut(BackwardOut):
    phase: Literal["backward"]


class GradientStepOut(GradientOut):
    phase: Literal["gradients"]


class UpdateStepOut(UpdateOut):
    phase: Literal["update"]


StepPayloadOut = Annotated[
    ForwardStepOut | OutputErrorStepOut | BackwardStepOut | GradientStepOut | UpdateStepOut,
    Field(discriminator="phase"),
]


class HistoryOut(Out):
    oldest_iteration: int
    can_step_back: bool
    # the configuration trained from iteration 0 reproduces the current iteration's
    # start (false after a PATCH past iteration 0): a replaying link is exact
    replayable: bool


class EvaluationOut(Out):
    cost: Cell  # over every sample of the set
    accuracy: float | None  # null: the targets are not classes


class SessionEvaluation(Out):
    iteration: int
    train: EvaluationOut
    test: EvaluationOut | None  # null: no test split


class EvaluationHistory(Out):
    iteration: list[int]
    train_cost: list[Cell]
    test_cost: list[Cell]
    train_accuracy: list[float | None]
    test_accuracy: list[float | None]


class SessionState(Out):
    id: str
    config: SessionConfig
    network: NetworkOut
    cursor: CursorOut
    steps: list[StepOut]
    step: StepPayloadOut
    trace: TraceOut
    cost_history: list[float]
    history: HistoryOut
    diverged: bool
    divergence: DivergenceOut | None
    evaluation: SessionEvaluation  # the whole train and test sets at the iteration's start
    evaluations: EvaluationHistory  # the same at iterations the session stopped at (latest)


class SamplesOut(Out):
    inputs: MatrixOut  # m × n₀
    targets: MatrixOut  # m × n_L


class SessionData(Out):
    train: SamplesOut
    test: SamplesOut | None


class CsvResponse(Out):
    inputs: list[list[float]]
    targets: list[list[float]]
    rows: int
    header: list[str] | None


class Extent2D(Out):
    x: tuple[float, float]
    y: tuple[float, float]


class Extent1D(Out):
    x: tuple[float, float]


class Field2D(Out):
    resolution: int
    extent: Extent2D
    outputs: list[MatrixOut]
    hidden: list[list[MatrixOut]] | None = None  # with ?hidden=true: per hidden layer, per neuron


class Field1D(Out):
    resolution: int
    extent: Extent1D
    inputs: list[float]
    outputs: list[VectorOut]
    hidden: list[list[VectorOut]] | None = None


FieldResponse = Field2D | Field1D


class TrainResponse(Out):
    network: NetworkOut
    cost_history: list[Cell]
    diverged: bool
    divergence: DivergenceOut | None
    diverged_at: int | None


class WeightsAndBiases(Out):
    weights: MatrixOut
    biases: VectorOut


class LayerCheckOut(Out):
    layer: int
    analytic: WeightsAndBiases
    numerical: WeightsAndBiases
    relative_error: Cell


class GradcheckResponse(Out):
    layers: list[LayerCheckOut]
    max_relative_error: Cell
    step: float


class ActivationOut(Out):
    name: ActivationName
    output_only: bool
    output_range: tuple[Cell, Cell]  # null: unbounded


class CostOut(Out):
    name: CostName
    requires_output: ActivationName | None
    requires_unit_range: bool


class LimitsOut(Out):
    max_layers: int
    max_width: int
    max_parameters: int
    max_batch_size: int
    max_samples: int
    max_iterations: int
    max_grid_resolution: int
    max_body_bytes: int
    max_trace_values: int
    max_train_work: int
    max_gradcheck_parameters: int
    max_gradcheck_work: int
    history_iterations: int
    max_cost_history: int
    max_fast_forward: int


class OptionsResponse(Out):
    activations: list[ActivationOut]
    costs: list[CostOut]
    init_methods: list[InitMethod]
    phases: list[PhaseName]
    limits: LimitsOut


class Bounds(Out):
    default: float
    min: float
    max: float


class IntBounds(Out):
    default: int
    min: int
    max: int


class SeedDefault(Out):
    default: int


class DatasetParameters(Out):
    size: IntBounds
    noise: Bounds
    seed: SeedDefault


class DatasetOut(Out):
    name: DatasetName
    description: str
    input_size: int
    output_size: int
    output_activation: ActivationName
    cost: CostName
    task: Literal["classification", "regression"]
    parameters: DatasetParameters


class PresetOut(Out):
    name: PresetName
    title: str
    description: str
    config: SessionConfig


class Health(Out):
    status: Literal["ok"]
