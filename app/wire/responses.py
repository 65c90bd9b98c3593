"""Response models (pydantic): the JSON the API answers, for the OpenAPI schema.

Responses are written by app.wire.convert straight from numpy arrays with
orjson, not through these models; they document the answers, and the tests
validate real responses against them. A non-finite number is written as null,
so response matrices hold `float | None`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from app.spec.requests import (
    ActivationName,
    CostName,
    DatasetName,
    Form,
    InitMethod,
    OptimizerName,
    PhaseName,
    PresetName,
    SessionConfig,
)

__all__ = [
    "BackpropResponse",
    "CheckResponse",
    "ClassInfo",
    "ClassState",
    "CsvResponse",
    "DatasetOut",
    "ErrorCode",
    "ErrorResponse",
    "ExerciseOut",
    "Field1D",
    "Field2D",
    "FieldResponse",
    "FollowerState",
    "GradcheckResponse",
    "Health",
    "LimitsOut",
    "NetworkOut",
    "OptimizerRun",
    "OptionsResponse",
    "Predictions",
    "PresetOut",
    "SessionData",
    "SessionDelta",
    "SessionState",
    "TermsResponse",
    "TrainResponse",
]

ErrorCode = Literal[
    "invalid_request",
    "malformed_json",
    "not_found",
    "body_too_large",
    "conflict",
    "method_not_allowed",
    "too_many_requests",
    "store_full",
]


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
    jacobian: list[MatrixOut] | None = Field(
        description="softmax: per sample, J[i][j] = ∂aᵢ/∂zⱼ = aᵢ(δᵢⱼ − aⱼ); else null"
    )


class BackwardOut(Out):
    layer: int
    weighted_error: MatrixOut
    sigma_prime: MatrixOut
    delta: MatrixOut


class GradientOut(Out):
    layer: int
    weights: MatrixOut = Field(description="∂C/∂Wˡ, the L2 term λWˡ included")
    biases: VectorOut
    l2: MatrixOut | None = Field(description="λWˡ, the L2 term of ∂C/∂Wˡ; null: no weight decay")


ShownName = Literal["v", "s", "m", "m_hat", "v_hat"]


class UpdateOut(Out):
    layer: int
    weights: MatrixOut
    biases: VectorOut
    eta_grad_weights: MatrixOut = Field(
        description="the amount subtracted from Wˡ: η ∂C/∂Wˡ, or the optimizer's step"
    )
    eta_grad_biases: VectorOut
    optimizer_weights: dict[ShownName, MatrixOut] = Field(
        description="the optimizer's quantities for Wˡ after this update (momentum: v; "
        "rmsprop: s; adam: m, v, m_hat, v_hat); empty for sgd"
    )
    optimizer_biases: dict[ShownName, VectorOut]


class OptimizerRun(Out):
    """The update rule an iteration ran with, and its settings (each rule has its own)."""

    name: OptimizerName
    momentum: float | None = None
    nesterov: bool | None = None
    alpha: float | None = None
    beta1: float | None = None
    beta2: float | None = None
    eps: float | None = None
    t: int | None = Field(None, description="adam: its updates so far, this one included")


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
    optimizer: OptimizerRun
    weight_decay: float = Field(description="λ of the L2 penalty (λ/2) Σ ‖Wˡ‖²")
    l2_cost: Cell = Field(description="(λ/2) Σ ‖Wˡ‖², included in `cost`")


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
    version: str = Field(
        description="names what this state holds: send it as `since` to get only what changes"
    )
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


class HistoryChange(Out):
    """Keep your items of iterations `from` ≤ t < `upto`, then append `append`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: int = Field(alias="from")
    upto: int


class CostsChange(HistoryChange):
    append: list[Cell]


class EvaluationsChange(HistoryChange):
    append: EvaluationHistory


class SessionDelta(Out):
    """What changed since the version a request named in `since` (docs/API.md)."""

    id: str
    version: str
    delta: Literal[True]
    cursor: CursorOut
    history: HistoryOut
    diverged: bool
    divergence: DivergenceOut | None
    evaluation: SessionEvaluation
    config: SessionConfig | None = Field(None, description="only when it changed")
    trace: TraceOut | None = Field(None, description="only at a new iteration (or start)")
    cost_history: list[float] | CostsChange = Field(description="whole, or what to append")
    evaluations: EvaluationHistory | EvaluationsChange


class SamplesOut(Out):
    inputs: MatrixOut  # m × n₀
    targets: MatrixOut  # m × n_L


class SessionData(Out):
    train: SamplesOut
    test: SamplesOut | None


class PredictionPart(Out):
    """One part of the data (train or test), sample by sample in the part's order."""

    predicted: list[int] | list[float | None]  # class index, or the first output's value
    actual: list[int] | list[float | None]  # class index, or the first target
    confusion: list[list[int]] | None  # k × k: rows the actual class, columns the predicted
    per_class_accuracy: list[float | None] | None  # null: no sample of that class
    misclassified: list[int] | None  # sample indices within the part
    projection: list[tuple[float, float]] | list[tuple[float]] | None  # m × 2 (1 for n₀ = 1)


class PredictionPlane(Out):
    """The training inputs' principal plane: p = axes · (x − mean)."""

    mean: list[float]
    axes: list[list[float]]
    explained: list[float]  # each axis's share of the variance


class Predictions(Out):
    iteration: int
    task: Literal["classification", "regression"]
    classes: int | None
    plane: PredictionPlane | None
    train: PredictionPart
    test: PredictionPart | None


class CsvProposal(Out):
    """The output layer and cost the targets suit (one-hot → softmax, 0/1 → sigmoid,
    other values → linear)."""

    task: Literal["classification", "regression"]
    output_activation: ActivationName
    cost: CostName


class CsvScaling(Out):
    """Each input column's mean and standard deviation before standardising."""

    mean: list[float]
    std: list[float]


class CsvResponse(Out):
    inputs: list[list[float]]
    targets: list[list[float]]
    rows: int
    header: list[str] | None
    columns: list[str]
    target_columns: list[int]
    class_names: list[str] | None = Field(
        description="a column of class labels: its classes in the order of the outputs "
        "(sorted; two classes are one 0/1 output, the second being 1), else null"
    )
    input_size: int
    output_size: int
    proposal: CsvProposal
    suggest_standardise: bool
    standardised: CsvScaling | None


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


class OptimizerOption(Out):
    name: OptimizerName
    # its settings with torch.optim's defaults (nesterov: false/true; the others numbers)
    defaults: dict[str, float | bool]


class OptionsResponse(Out):
    activations: list[ActivationOut]
    costs: list[CostOut]
    init_methods: list[InitMethod]
    phases: list[PhaseName]
    limits: LimitsOut
    optimizers: list[OptimizerOption]


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


class ClassInfo(Out):
    code: str = Field(description="6 characters from 23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    join_url: str
    qr_url: str = Field(description="the join URL as a QR code (SVG); needs the session id")
    seq: int = Field(description="the number of the class's latest event")
    followers: int = Field(description="the class's open event streams, on every process")


# The session's state as followers see it: everything but the id (which allows changing it).
_follower_fields: dict[str, Any] = {
    name: (info.annotation, info)
    for name, info in SessionState.model_fields.items()
    if name != "id"
}
FollowerState: type[BaseModel] = create_model("FollowerState", __base__=Out, **_follower_fields)


class ClassState(Out):
    code: str
    seq: int = Field(description="the latest event's number: stream from here with Last-Event-ID")
    state: FollowerState
    export: SessionConfig = Field(
        description="the session as POST /api/v1/sessions takes it (take a copy)"
    )


TermOp = Literal["sum", "product", "difference", "quotient", "negate", "mean", "apply"]


class RefOut(Out):
    """One number of the iteration: an entry of a quantity, η or a constant (engine.terms)."""

    quantity: str = Field(
        description="W, b, z, a, y, grad_a, sigma_prime, delta, weighted_error, dC_dW, dC_db, "
        "J (softmax Jacobian, index [sample, i, j]), eta or const"
    )
    layer: int | None
    index: list[int] = Field(description="[row, sample] of an nₗ × m array, [row, column] "
                             "of a weight matrix, [row] of a bias")  # fmt: skip
    value: Cell


class ExprOut(Out):
    """An operation on numbers and its value, computed from its arguments' values."""

    op: TermOp
    args: list[ExprOut | RefOut]
    value: Cell
    function: str | None = Field(description="for `apply`: sigmoid, tanh, relu, exp, step …")
    equals: RefOut | None = Field(description="the entry of the iteration this expression is")


class TermsResponse(Out):
    phase: PhaseName
    layer: int
    quantity: str
    index: list[int]
    value: Cell = Field(description="the entry as the trace holds it (the page shows it)")
    expression: ExprOut | RefOut
    shortcut: Literal["a_minus_y"] | None = Field(
        description="a_minus_y: δᴸ = aᴸ − y, where σ′ (or the Jacobian) cancels"
    )


class ExerciseOut(Out):
    """A problem to do by hand: POST it to /backprop for the answers, or with an answer to
    /exercises/check."""

    seed: int
    network: NetworkOut
    cost: CostName
    inputs: MatrixOut  # m × n₀
    targets: MatrixOut  # m × n_L
    learning_rate: float


MistakeName = Literal[
    "missing_bias", "wrong_activation", "used_z_not_a", "missing_sigma_prime", "sign_flipped",
    "sigma_prime_of_a", "untransposed_weights", "wrong_layer_weights", "sum_not_mean",
    "wrong_activation_layer", "added_gradient", "missing_learning_rate", "updated_weights_used",
]  # fmt: skip


class EntryVerdict(Out):
    verdict: Literal["correct", "wrong", "skipped"]
    expected: Cell
    mistakes: list[MistakeName] = Field(description="the known mistakes that give this number")


class CheckResponse(Out):
    phase: PhaseName
    layer: int
    part: Literal["a", "z", "delta", "weights", "biases"]
    entries: list[list[EntryVerdict]] | list[EntryVerdict] = Field(
        description="per entry, in the answer's shape"
    )
    correct: int
    total: int
    misconceptions: list[MistakeName] = Field(description="most wrong entries explained first")
    explanations: dict[str, str] = Field(description="each misconception in plain words")
    formula: str = Field(description="the step's right formula, LaTeX, with its layer numbers")
    formulas: dict[str, str] = Field(
        description="each misconception's formula, the one the learner used instead (LaTeX)"
    )
