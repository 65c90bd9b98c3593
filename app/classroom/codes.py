"""Join codes: the only public name of a live class.

Six characters with no look-alikes (no 0/O, 1/I/L): 31⁶ ≈ 8.9 × 10⁸ codes
(29.7 bits), drawn by `secrets`. People type them, so case, spaces and dashes
are forgiven.
"""

from __future__ import annotations

import re
import secrets

from app.errors import ClassNotFoundError

__all__ = ["ALPHABET", "CODE_LENGTH", "join_code", "new_code", "normalise_code"]

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
_CODE = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str | None:
    """The code as stored (upper case, no spaces or dashes), or None if it cannot be one."""
    code = text.strip().upper().replace("-", "").replace(" ", "")
    return code if _CODE.fullmatch(code) else None


def join_code(text: str) -> str:
    """The code as stored; ClassNotFoundError (naming the text) if it cannot be one."""
    code = normalise_code(text)
    if code is None:
        raise ClassNotFoundError(text)
    return code
