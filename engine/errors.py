"""The engine's one exception: an invalid definition, naming the field at fault."""

from __future__ import annotations


class DefinitionError(ValueError):
    """A network, cost or batch that the engine cannot use.

    `field` names the input at fault in the words of the JSON contract
    (for example ``network.weights[1]`` or ``targets``), so that callers can
    point the user at it.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
