"""schemathesis's command line against a real server: every phase, every check, 0 failures.

The run a client would make: `schemathesis run URL/openapi.json --phases
examples,coverage,fuzzing,stateful --checks all` against uvicorn serving the app
with its default settings, with a fixed seed and a bounded number of examples
(about a minute and a half here). schemathesis.toml at the repository's root
holds the few allowances, each with the constraint JSON Schema cannot express.
The run works in a temporary directory: its cache goes there, not into the repository.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import AppProcess

pytestmark = pytest.mark.schemathesis_cli

ROOT = Path(__file__).resolve().parents[2]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
PHASES = ("Examples", "Coverage", "Fuzzing", "Stateful")


@pytest.fixture
def server() -> Iterator[str]:
    # A server of its own: the run leaves sessions, classes and (trying join codes) this
    # address's 429s behind, which no other test should meet.
    with AppProcess() as process:
        yield process.url


def shown(output: str) -> str:
    """The output with long lines cut (a failure's curl line can hold megabytes)."""
    return "\n".join(line[:300] for line in output.splitlines()[-120:])


def test_schemathesis_cli_finds_no_failure(server: str, tmp_path: Path) -> None:
    run = subprocess.run(
        [str(SCHEMATHESIS), "--no-color", "--config-file", str(ROOT / "schemathesis.toml"),
         "run", f"{server}/openapi.json",
         "--phases", "examples,coverage,fuzzing,stateful", "--checks", "all",
         "--max-examples", "50", "--seed", "1", "--workers", "1"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    output = run.stdout + run.stderr
    assert run.returncode == 0, shown(output)
    for phase in PHASES:  # each ran and passed (none skipped: the stateful phase needs links)
        assert re.search(rf"✅ {phase}\b", output), shown(output)
    operations = re.search(r"Selected: (\d+)/(\d+)\s+Tested: (\d+)", output)
    assert operations, shown(output)
    assert operations[1] == operations[2] == operations[3], shown(output)  # every operation
